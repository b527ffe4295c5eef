//! One function per command-line subcommand. The argument structs (clap) live here so that
//! `main.rs` stays a thin parse → dispatch → print; each command returns a [`Report`]: one
//! JSON object (printed with `--json`) and a human-readable text.

mod learning_lyapunov;
mod learning_spectrum;
mod lyapunov;
mod measure;
mod network;
mod progress;
mod run;
mod spike_timing;
mod sweep;
mod synapse_map;
mod train;
mod variable_plasticity;
mod verify;

use crate::error::{Error, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use learning_lyapunov::LearningLyapunovArgs;
pub use learning_spectrum::LearningSpectrumArgs;
pub use lyapunov::LyapunovArgs;
pub use measure::{EnergyArgs, MeasureInput, ModesArgs, RobustnessArgs, TuringMapArgs};
pub use network::{LocalJacobiansArgs, MergeArgs, NetworkHeatmapArgs, NetworkOrbitArgs};
pub use run::RunArgs;
pub use spike_timing::SpikeTimingArgs;
pub use sweep::{ContinueArgs, HeatmapArgs, OrbitArgs, SpectrumArgs, SweepArgs};
pub use synapse_map::SynapseMapArgs;
pub use train::{EvalArgs, TrainArgs};
pub use variable_plasticity::VariablePlasticityArgs;
pub use verify::VerifyArgs;

/// mesonet: measure the MesoNet spiking-network learning theory.
#[derive(Debug, Parser)]
#[command(
    name = "mesonet",
    version,
    about,
    long_about = None,
    after_help = "Environment: MESONET_DATA is the data directory when --data is not given; \
MESONET_PROGRESS_SECONDS (default 60) is the least time between two progress lines on stderr \
when stderr is not a terminal (logs, batch jobs; on a terminal a bar is drawn instead)."
)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one analysis spec (a .json file) or every spec in a directory; figures and data go
    /// to <out>/<spec name>/.
    Run(RunArgs),
    /// Spike timing of the poster's kernel V(x) = w k x e^{-x/tau_m} (Theorem 1): Lambert W,
    /// quadratic and Taylor-N approximations, and the exactly simulated LIF neuron.
    SpikeTiming(SpikeTimingArgs),
    /// Fixed points of the reduced 1:1 synapse map, their slopes F'(w*), flip points eta_c
    /// and classification (MODEL.md §4).
    SynapseMap(SynapseMapArgs),
    /// Fixed points (w*, η*) of the coupled variable-plasticity system (MODEL.md §5): analytic
    /// and finite-difference Jacobians, eigenvalues, map multipliers.
    VariablePlasticity(VariablePlasticityArgs),
    /// Lyapunov exponent(s) of a system.
    Lyapunov(LyapunovArgs),
    /// Orbit (bifurcation) diagram of a map over one parameter, with figure and data.
    Orbit(OrbitArgs),
    /// Heatmap of the largest Lyapunov exponent over two parameters, with figure and data.
    Heatmap(HeatmapArgs),
    /// Pseudo-arclength continuation of a fixed point (equilibrium) over one parameter:
    /// stability along the branch, folds, flips, Neimark-Sacker and Hopf points located by
    /// bisection, period-doubled branches; figure over the orbit diagram.
    Continue(ContinueArgs),
    /// Eigenvalue spectrum of a large matrix (symmetric or i.i.d. Gaussian reference, or the
    /// many-synapse layer's Jacobian) against the semicircle and the circular/elliptic laws.
    Spectrum(SpectrumArgs),
    /// Train a spiking network (--preset, default diehl-cook) on MNIST-format data, then evaluate it:
    /// labels assigned from training responses, accuracy on the test split.
    Train(TrainArgs),
    /// Evaluate a checkpoint written by `train`.
    Eval(EvalArgs),
    /// Energy of a trained network's frozen test pass (synaptic operations, neuron updates;
    /// 45 nm energies, all printed) against an ANN with the same layer sizes (docs/NETWORKS.md
    /// §5); histogram of the synaptic energy per sample.
    Energy(EnergyArgs),
    /// Accuracy of a trained network after deleting growing fractions of its input synapses at
    /// random (nested), labels reassigned each time; the fraction where it falls by 5 points
    /// and by 3 % relative, with the curve.
    Robustness(RobustnessArgs),
    /// Turing map: each neuron's signed input balance Σw/Σ|w| on the cores × maps grid,
    /// Gaussian-smoothed; one map per checkpoint (e.g. split-merge and mesonet side by side).
    TuringMap(TuringMapArgs),
    /// Mode analysis of a trained network (after Lin & Huang): singular values of its input
    /// weights against rank on log-log axes, and its output layer's filtered spike trains
    /// over evaluation images projected onto the first three modes, coloured by label.
    Modes(ModesArgs),
    /// The Lyapunov exponent of learning of a network (docs/NETWORKS.md §5): two copies with
    /// identical input spikes, learning states d0 apart, renormalised when their distance
    /// leaves [1e-4 d0, 1e2 d0]; mean growth per presentation with its standard error.
    LearningLyapunov(LearningLyapunovArgs),
    /// Jacobian spectra of a trained network's learning map (state before ↦ after a block of
    /// training presentations, common random numbers): the dense Jacobian restricted to one
    /// neuron's or one core's input weights against the elliptic and semicircle laws, and the
    /// leading eigenvalues of the whole map by Arnoldi on Jacobian-vector products.
    LearningSpectrum(LearningSpectrumArgs),
    /// A grid of trained networks over two preset parameters (default η_min × η_max of
    /// variable plasticity): each cell trains its own network, measures its test accuracy and
    /// the Lyapunov exponent of its learning; λ and accuracy heatmaps, accuracy against λ with
    /// Spearman's ρ and a bootstrap 95 % interval. --shard i/n computes part of the cells.
    NetworkHeatmap(NetworkHeatmapArgs),
    /// Bifurcation diagram from simulation: at each value of one preset parameter a fresh
    /// network learns, then an observable of its learning state is recorded after every
    /// presentation, with the Lyapunov exponent of learning in a panel beneath.
    /// --shard i/n computes part of the values.
    NetworkOrbit(NetworkOrbitArgs),
    /// Local Jacobians of single synapses inside a learning network (the poster's Figure 13):
    /// before each presentation, synapses drawn at random have the 2 × 2 Jacobian of their
    /// (w, η) over that presentation taken by central differences (common random numbers);
    /// eigenvalues as rates ln μ / T against λ2 = −1/τ_d.
    LocalJacobians(LocalJacobiansArgs),
    /// Join the shard directories of a sweep (written with --shard i/n) into the output the
    /// unsharded run writes, data files byte for byte.
    Merge(MergeArgs),
    /// Put every claim of the poster (MODEL.md §8) beside the model's value: relative error,
    /// method (closed form, finite differences, simulation) and verdict; writes a Markdown
    /// report and JSON.
    Verify(VerifyArgs),
}

/// The outcome of parsing the command line.
#[derive(Debug)]
pub enum Parsed {
    /// A command to run.
    Run(Box<Cli>),
    /// Nothing to run: help or version text (stdout, code 0) or a usage error (one line on
    /// stderr naming the flag and the value, code 2).
    Exit {
        /// What to print.
        text: String,
        /// Print on stdout (help, version) rather than stderr.
        to_stdout: bool,
        /// The process exit code.
        code: u8,
    },
}

/// The command-line grammar: every value-taking flag also accepts values that start with '-'
/// (negative numbers, `-inf`, a state `-1,2`), so they reach validation, which names the flag.
pub fn cli_command() -> clap::Command {
    fn hyphen_values(cmd: clap::Command) -> clap::Command {
        cmd.mut_args(|arg| {
            if !arg.is_positional() && arg.get_action().takes_values() {
                arg.allow_hyphen_values(true)
            } else {
                arg
            }
        })
        .mut_subcommands(hyphen_values)
    }
    hyphen_values(Cli::command())
}

/// Parses the command line; usage errors become one line (clap's own message: the flag and
/// the value), help and version are passed through.
pub fn parse_args<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::error::ErrorKind;
    let error = match cli_command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => return Parsed::Run(Box::new(cli)),
        Err(e) => e,
    };
    let rendered = error.render().to_string();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Exit {
            text: rendered,
            to_stdout: true,
            code: 0,
        },
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Parsed::Exit {
            text: rendered.trim_end().to_string(),
            to_stdout: false,
            code: 2,
        },
        _ => Parsed::Exit {
            text: rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: invalid command line")
                .to_string(),
            to_stdout: false,
            code: 2,
        },
    }
}

/// What a command produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// The JSON object printed with `--json`.
    pub json: serde_json::Value,
    /// The human-readable text printed otherwise.
    pub text: String,
}

/// Options shared by the analysis commands.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Worker threads for parallel work (0 = one per core; capped at the number of work
    /// items). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Runs the parsed command line. Returns the report and whether `--json` was asked for.
pub fn dispatch(cli: Box<Cli>) -> Result<(Report, bool)> {
    // Checked before any work, so that a bad value cannot stop a run once it has started.
    progress::line_interval()?;
    match cli.command {
        Command::Run(a) => run::run(&a).map(|r| (r, a.common.json)),
        Command::SpikeTiming(a) => spike_timing::run(&a).map(|r| (r, a.json)),
        Command::SynapseMap(a) => synapse_map::run(&a).map(|r| (r, a.json)),
        Command::Lyapunov(a) => lyapunov::run(&a).map(|r| (r, a.json)),
        Command::VariablePlasticity(a) => variable_plasticity::run(&a).map(|r| (r, a.json)),
        Command::Orbit(a) => sweep::orbit(&a).map(|r| (r, a.run.output.common.json)),
        Command::Heatmap(a) => sweep::heatmap(&a).map(|r| (r, a.run.output.common.json)),
        Command::Continue(a) => sweep::continuation(&a).map(|r| (r, a.run.output.common.json)),
        Command::Spectrum(a) => sweep::spectrum(&a).map(|r| (r, a.output.common.json)),
        Command::Train(a) => train::train(&a).map(|r| (r, a.json)),
        Command::Eval(a) => train::eval(&a).map(|r| (r, a.json)),
        Command::Energy(a) => measure::energy(&a).map(|r| (r, a.input.json)),
        Command::Robustness(a) => measure::robustness(&a).map(|r| (r, a.input.json)),
        Command::TuringMap(a) => measure::turing_map(&a).map(|r| (r, a.json)),
        Command::Modes(a) => measure::modes(&a).map(|r| (r, a.input.json)),
        Command::LearningLyapunov(a) => learning_lyapunov::run(&a).map(|r| (r, a.json)),
        Command::LearningSpectrum(a) => learning_spectrum::run(&a).map(|r| (r, a.json)),
        Command::NetworkHeatmap(a) => network::heatmap(&a).map(|r| (r, a.json)),
        Command::NetworkOrbit(a) => network::orbit(&a).map(|r| (r, a.json)),
        Command::LocalJacobians(a) => network::local_jacobians(&a).map(|r| (r, a.json)),
        Command::Merge(a) => network::merge(&a).map(|r| (r, a.json)),
        Command::Verify(a) => verify::run(&a).map(|r| (r, a.json)),
    }
}

/// Runs `f` inside a rayon pool of `threads` workers (0 = one per core), capped at
/// `work_items` (more threads than work items would only idle).
pub(crate) fn with_threads<T: Send>(
    threads: usize,
    work_items: usize,
    f: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let threads = crate::resources::cap_threads(threads, work_items);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::InvalidParameter {
            name: "threads".into(),
            value: threads.to_string(),
            requirement: format!("a thread count the system can start ({e})"),
        })?;
    pool.install(f)
}

/// Progress labelled `label` on stderr: a bar on a terminal, a line every
/// `$MESONET_PROGRESS_SECONDS` otherwise.
fn progress_display(label: &str) -> Result<progress::ProgressDisplay> {
    progress::ProgressDisplay::stderr(label)
}

/// Parses a comma-separated state vector.
fn parse_state(text: &str) -> Result<Vec<f64>> {
    text.split(',')
        .map(|v| {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| Error::InvalidParameter {
                    name: "x0".into(),
                    value: text.into(),
                    requirement: "comma-separated finite numbers".into(),
                })
        })
        .collect()
}

/// Formats an optional number for text output.
fn show(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.12}"))
        .unwrap_or_else(|| "undefined".into())
}
