//! The whole state of a training run: configuration, the network, progress and the running
//! accuracy; saved atomically, loaded and checked as strictly as the command line.

use super::{TrainConfig, CLASSES, PHASE_TRAIN, WINDOW};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::sim::decoding::{assign, predict_all_activity, Assignment};
use crate::sim::learner::{stream_seed, Learner};
use crate::sim::presets::Preset;
use std::io::Read;
use std::path::Path;

/// Checkpoint format version (2: any preset, the network as parts).
const FORMAT: u32 = 2;

/// One point of the running-accuracy curve.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    /// Training samples seen.
    pub samples: u64,
    /// Accuracy on the last window, with labels assigned from the window before it.
    pub accuracy: f64,
}

/// The whole state of a training run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// Format version.
    pub format: u32,
    /// The run's configuration.
    pub config: TrainConfig,
    /// Training samples completed (over all epochs).
    pub samples_done: u64,
    /// Presentations including intensity retries.
    pub presentations: u64,
    /// Wall time spent training so far (s).
    pub training_seconds: f64,
    /// The network.
    pub network: Preset,
    /// Running-accuracy curve.
    pub curve: Vec<CurvePoint>,
    /// Responses of the current window: (counts, label).
    pub window: Vec<(Vec<u32>, u8)>,
    /// Assignment from the previous window.
    pub window_assignment: Option<Assignment>,
}

impl Checkpoint {
    /// A fresh run on samples of `shape`.
    pub fn start(config: TrainConfig, shape: (usize, usize, usize)) -> Result<Self> {
        let network = Preset::build(&config.spec(), Some(shape))?;
        Ok(Self {
            format: FORMAT,
            config,
            samples_done: 0,
            presentations: 0,
            training_seconds: 0.0,
            network,
            curve: Vec::new(),
            window: Vec::new(),
            window_assignment: None,
        })
    }

    /// Total training samples of the run.
    pub fn total_samples(&self) -> u64 {
        (self.config.train_samples * self.config.epochs) as u64
    }

    /// Writes the checkpoint atomically (gzip-compressed JSON; a temporary file renamed).
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = crate::output::parent_dir(path);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let tmp = crate::output::target::temp_file(&dir)?;
        {
            let gz = flate2::write::GzEncoder::new(tmp.as_file(), flate2::Compression::fast());
            // Buffered: the encoder zero-fills its output buffer on every write, so the many
            // small writes of the serializer would otherwise dominate the save (22 % of a
            // 100-sample training run's profile).
            let mut json = std::io::BufWriter::with_capacity(1 << 20, gz);
            serde_json::to_writer(&mut json, self).map_err(|e| Error::io(path, e.into()))?;
            json.into_inner()
                .map_err(|e| Error::io(path, e.into_error()))?
                .finish()
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(path, e))?;
        }
        crate::output::persist_readable(tmp, path)
    }

    /// Reads a checkpoint written by [`Checkpoint::save`] and checks it as strictly as the
    /// command line: a checkpoint is input.
    pub fn load(path: &Path) -> Result<Self> {
        let data_error = |message: String| Error::Data {
            path: path.to_path_buf(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(|e| data_error(format!("not a gzip-compressed mesonet checkpoint: {e}")))?;
        let format = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["format"].as_u64());
        if let Some(f) = format.filter(|&f| f != FORMAT as u64) {
            return Err(data_error(format!(
                "format {f} (this build reads {FORMAT})"
            )));
        }
        let de = &mut serde_json::Deserializer::from_str(&text);
        let mut ckpt: Checkpoint = serde_path_to_error::deserialize(de).map_err(|e| {
            data_error(format!(
                "malformed checkpoint at {}: {}",
                e.path(),
                e.inner()
            ))
        })?;
        ckpt.validate().map_err(data_error)?;
        ckpt.network.prepare()?;
        Ok(ckpt)
    }

    /// Checks a deserialised checkpoint: format, configuration, network and progress.
    fn validate(&self) -> std::result::Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "format {} (this build reads {FORMAT})",
                self.format
            ));
        }
        self.config.validate().map_err(|e| format!("config: {e}"))?;
        if self.network.preset() != self.config.preset {
            return Err(format!(
                "config.preset = {} but the network is a {} network",
                self.config.preset,
                self.network.preset()
            ));
        }
        let n = self.config.neurons;
        if let Err(e) = self.network.check(n) {
            // A network consistent at its own size contradicts only the configuration.
            let own = self.network.outputs();
            if own != n && self.network.check(own).is_ok() {
                return Err(format!(
                    "config.neurons = {n} but the network has {own} output neurons"
                ));
            }
            return Err(e);
        }
        let configured = Preset::params_json(&self.config.preset, &self.config.set)
            .map_err(|e| e.to_string())?;
        if self.network.params() != configured {
            return Err("network.params differ from the configuration's parameters".into());
        }
        if self.samples_done > self.total_samples() {
            return Err(format!(
                "samples_done = {} exceeds the run's {} samples",
                self.samples_done,
                self.total_samples()
            ));
        }
        if !self.training_seconds.is_finite() || self.training_seconds < 0.0 {
            return Err(format!("training_seconds = {}", self.training_seconds));
        }
        if self.window.len() >= WINDOW {
            return Err(format!(
                "window holds {} responses, at most {}",
                self.window.len(),
                WINDOW - 1
            ));
        }
        if let Some((k, _)) = self
            .window
            .iter()
            .enumerate()
            .find(|(_, (counts, label))| counts.len() != n || *label as usize >= CLASSES)
        {
            return Err(format!(
                "window[{k}] needs {n} spike counts and a label below {CLASSES}"
            ));
        }
        if let Some(a) = &self.window_assignment {
            let labels_ok = a.labels.iter().flatten().all(|&l| (l as usize) < CLASSES);
            if a.classes != CLASSES
                || a.labels.len() != n
                || a.proportions.len() != n * CLASSES
                || !labels_ok
            {
                return Err(format!(
                    "window_assignment must hold {n} neurons × {CLASSES} classes"
                ));
            }
        }
        Ok(())
    }

    /// Trains until every sample is done, saving to `checkpoint` every
    /// `config.checkpoint_every` samples. `on_sample(done, total, running accuracy)` reports
    /// progress.
    pub fn train(
        &mut self,
        data: &Dataset,
        checkpoint: Option<&Path>,
        on_sample: &dyn Fn(u64, u64, Option<f64>),
    ) -> Result<()> {
        let total = self.total_samples();
        let n = self.config.train_samples as u64;
        while self.samples_done < total {
            let started = std::time::Instant::now();
            let (epoch, index) = (self.samples_done / n, (self.samples_done % n) as usize);
            let stream = stream_seed(&[self.config.seed, PHASE_TRAIN, epoch, index as u64]);
            let response = self.network.present(data.image(index), true, stream);
            self.presentations += response.presentations as u64;
            self.window.push((response.counts, data.label(index)));
            if self.window.len() == WINDOW {
                self.close_window();
            }
            self.samples_done += 1;
            self.training_seconds += started.elapsed().as_secs_f64();
            on_sample(
                self.samples_done,
                total,
                self.curve.last().map(|p| p.accuracy),
            );
            let every = self.config.checkpoint_every;
            if let Some(path) = checkpoint {
                if every > 0 && self.samples_done.is_multiple_of(every) && self.samples_done < total
                {
                    self.save(path)?;
                }
            }
        }
        Ok(())
    }

    fn close_window(&mut self) {
        let (responses, labels): (Vec<Vec<u32>>, Vec<u8>) =
            std::mem::take(&mut self.window).into_iter().unzip();
        if let Some(a) = &self.window_assignment {
            let right = responses
                .iter()
                .zip(&labels)
                .filter(|(r, &l)| predict_all_activity(r, a) == l)
                .count();
            self.curve.push(CurvePoint {
                samples: self.samples_done + 1,
                accuracy: right as f64 / labels.len() as f64,
            });
        }
        self.window_assignment = Some(assign(&responses, &labels, CLASSES));
    }
}
