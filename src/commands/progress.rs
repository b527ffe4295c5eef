//! Progress of long work on stderr: a bar on a terminal; otherwise (a log file, `nohup`, a
//! batch job under Slurm) a plain line when a unit of work finishes at least [`PROGRESS_ENV`]
//! seconds after the last line, with the position, the rate over that interval and the time
//! left at that rate. A job shorter than one interval prints nothing.

use crate::error::{Error, Result};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Seconds between two progress lines when stderr is not a terminal (default 60; 0: one line
/// per finished unit).
pub const PROGRESS_ENV: &str = "MESONET_PROGRESS_SECONDS";

/// The interval between progress lines, from [`PROGRESS_ENV`] (checked before any work
/// starts, by [`super::dispatch`]).
pub(crate) fn line_interval() -> Result<Duration> {
    let Some(raw) = std::env::var_os(PROGRESS_ENV) else {
        return Ok(Duration::from_secs(60));
    };
    let text = raw.to_string_lossy();
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| Error::InvalidParameter {
            name: PROGRESS_ENV.into(),
            value: text.into_owned(),
            requirement: "a number of seconds in [0, 1e9]".into(),
        })
}

/// Where progress goes: a bar on a terminal, lines otherwise.
pub(crate) enum ProgressDisplay {
    /// stderr is a terminal.
    Bar(indicatif::ProgressBar),
    /// stderr is not a terminal.
    Lines(Mutex<Lines>),
}

/// The line display's state.
pub(crate) struct Lines {
    message: String,
    len: u64,
    pos: u64,
    interval: Duration,
    /// When the display started counting (the total time of the last line).
    started: Instant,
    /// The last line printed (or the start): when, at which position.
    last: (Instant, u64),
    printed: bool,
    sink: Box<dyn Write + Send>,
}

impl ProgressDisplay {
    /// Progress labelled `label` on stderr.
    pub(crate) fn stderr(label: &str) -> Result<Self> {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::hidden();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} {per_sec} eta {eta}",
                )
                .expect("static template")
                .progress_chars("=> "),
            );
            bar.set_message(label.to_string());
            return Ok(Self::Bar(bar));
        }
        Ok(Self::lines(
            label,
            line_interval()?,
            Box::new(std::io::stderr()),
        ))
    }

    /// Lines labelled `label` into `sink`, at most one per `interval`.
    fn lines(label: &str, interval: Duration, sink: Box<dyn Write + Send>) -> Self {
        let now = Instant::now();
        Self::Lines(Mutex::new(Lines {
            message: label.to_string(),
            len: 0,
            pos: 0,
            interval,
            started: now,
            last: (now, 0),
            printed: false,
            sink,
        }))
    }

    /// The number of units of the whole job.
    pub(crate) fn set_length(&self, len: u64) {
        match self {
            Self::Bar(bar) => bar.set_length(len),
            Self::Lines(lines) => lock(lines).len = len,
        }
    }

    /// Starts counting at `pos` units already done (a resumed run): rates and the time left
    /// count only what this process does.
    pub(crate) fn resume_from(&self, pos: u64) {
        match self {
            Self::Bar(bar) => {
                // set_position ticks the estimator at `pos` (a new bar has room for the tick),
                // so the reset keeps `pos` as the starting count.
                bar.set_position(pos);
                bar.reset_eta();
            }
            Self::Lines(lines) => {
                let mut l = lock(lines);
                let now = Instant::now();
                l.pos = pos;
                l.started = now;
                l.last = (now, pos);
            }
        }
    }

    /// `pos` units done.
    pub(crate) fn set_position(&self, pos: u64) {
        match self {
            Self::Bar(bar) => bar.set_position(pos),
            Self::Lines(lines) => {
                let mut l = lock(lines);
                l.pos = pos;
                l.maybe_print(Instant::now());
            }
        }
    }

    /// One more unit done (from any thread).
    pub(crate) fn inc(&self, units: u64) {
        match self {
            Self::Bar(bar) => bar.inc(units),
            Self::Lines(lines) => {
                let mut l = lock(lines);
                l.pos += units;
                l.maybe_print(Instant::now());
            }
        }
    }

    /// The label shown from now on.
    pub(crate) fn set_message(&self, message: String) {
        match self {
            Self::Bar(bar) => bar.set_message(message),
            Self::Lines(lines) => lock(lines).message = message,
        }
    }

    /// The job is over: the bar disappears; a job that printed lines prints a last one with
    /// its total time.
    pub(crate) fn finish_and_clear(&self) {
        match self {
            Self::Bar(bar) => bar.finish_and_clear(),
            Self::Lines(lines) => {
                let mut l = lock(lines);
                if l.printed {
                    let seconds = l.started.elapsed().as_secs_f64();
                    let line = format!(
                        "{}: {} done in {}",
                        l.message,
                        position(l.pos, l.len),
                        duration(seconds)
                    );
                    l.print(&line);
                }
            }
        }
    }
}

/// The line display's state; a panic elsewhere while printing leaves the counts usable.
fn lock(lines: &Mutex<Lines>) -> std::sync::MutexGuard<'_, Lines> {
    lines.lock().unwrap_or_else(|e| e.into_inner())
}

impl Lines {
    /// Prints a line when the interval since the last one has passed.
    fn maybe_print(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last.0);
        if elapsed < self.interval {
            return;
        }
        let line = progress_line(
            &self.message,
            (self.pos, self.len),
            self.pos.saturating_sub(self.last.1),
            elapsed.as_secs_f64(),
        );
        self.print(&line);
        self.last = (now, self.pos);
    }

    fn print(&mut self, line: &str) {
        // Progress is a courtesy: a closed stderr must not stop the work.
        let _ = writeln!(self.sink, "{line}");
        let _ = self.sink.flush();
        self.printed = true;
    }
}

/// `pos/len (p %)`, or `pos` without a length.
fn position(pos: u64, len: u64) -> String {
    if len == 0 {
        return pos.to_string();
    }
    format!("{pos}/{len} ({:.1} %)", 100.0 * pos as f64 / len as f64)
}

/// A duration for people: seconds below two minutes, minutes below two hours, then hours.
fn duration(seconds: f64) -> String {
    let (s, min) = (seconds.round(), (seconds / 60.0).round());
    if s < 120.0 {
        format!("{s:.0} s")
    } else if min < 120.0 {
        format!("{min:.0} min")
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// One progress line: `message: pos/len (p %), r per s over the last t, about T left`, the rate
/// and the time left from the `units` finished in the last `seconds`.
fn progress_line(message: &str, (pos, len): (u64, u64), units: u64, seconds: f64) -> String {
    let mut line = format!("{message}: {}", position(pos, len));
    if units == 0 {
        line.push_str(&format!(
            ", none finished in the last {}",
            duration(seconds)
        ));
        return line;
    }
    if seconds <= 0.0 {
        return line;
    }
    let rate = units as f64 / seconds;
    line.push_str(&format!(
        ", {} per s over the last {}",
        significant(rate),
        duration(seconds)
    ));
    if len > pos {
        line.push_str(&format!(
            ", about {} left",
            duration((len - pos) as f64 / rate)
        ));
    }
    line
}

/// Three significant digits, without an exponent for everyday rates.
fn significant(x: f64) -> String {
    if x >= 99.95 {
        format!("{x:.0}")
    } else if x >= 9.995 {
        format!("{x:.1}")
    } else if x >= 0.01 {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A sink whose bytes the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn lines(&self) -> Vec<String> {
            String::from_utf8(self.0.lock().unwrap().clone())
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        }
    }

    #[test]
    fn a_line_states_position_rate_and_time_left() {
        // 1 200 of 60 000 samples done, 120 of them in the last 60 s: 2 per s, 29 400 s left.
        assert_eq!(
            progress_line("train", (1200, 60000), 120, 60.0),
            "train: 1200/60000 (2.0 %), 2.000 per s over the last 60 s, about 8.2 h left"
        );
        assert_eq!(
            progress_line("cells", (3, 0), 0, 180.0),
            "cells: 3, none finished in the last 3 min"
        );
        assert_eq!(
            progress_line("evaluate", (20000, 20000), 500, 30.0),
            "evaluate: 20000/20000 (100.0 %), 16.7 per s over the last 30 s"
        );
    }

    #[test]
    fn lines_come_at_most_once_per_interval_and_a_short_job_prints_nothing() {
        let sink = Shared::default();
        let every_unit = ProgressDisplay::lines("map", Duration::ZERO, Box::new(sink.clone()));
        every_unit.set_length(4);
        every_unit.inc(1);
        every_unit.set_message("map (half)".into());
        every_unit.inc(1);
        every_unit.finish_and_clear();
        let lines = sink.lines();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("map: 1/4 (25.0 %), "), "{lines:?}");
        assert!(
            lines[1].starts_with("map (half): 2/4 (50.0 %), "),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("map (half): 2/4 (50.0 %) done in "),
            "{lines:?}"
        );

        let sink = Shared::default();
        let hourly =
            ProgressDisplay::lines("map", Duration::from_secs(3600), Box::new(sink.clone()));
        hourly.set_length(4);
        for _ in 0..4 {
            hourly.inc(1);
        }
        hourly.finish_and_clear();
        assert!(sink.lines().is_empty());
    }

    #[test]
    fn a_resumed_job_counts_only_its_own_units() {
        let sink = Shared::default();
        let p = ProgressDisplay::lines("train", Duration::from_secs(5), Box::new(sink.clone()));
        p.set_length(100);
        p.resume_from(90);
        let ProgressDisplay::Lines(lines) = &p else {
            unreachable!("a line display")
        };
        let mut l = lines.lock().unwrap();
        let resumed = l.last.0;
        l.pos = 95;
        // 4 s after the resume: inside the interval, no line.
        l.maybe_print(resumed + Duration::from_secs(4));
        assert!(sink.lines().is_empty());
        // 10 s after it: 5 units since the resume (not 95) in 10 s, 5 still to do.
        l.maybe_print(resumed + Duration::from_secs(10));
        assert_eq!(
            sink.lines(),
            ["train: 95/100 (95.0 %), 0.500 per s over the last 10 s, about 10 s left"]
        );
    }
}
