//! stub until neuron lands
use super::Report;
use clap::Args;
/// Arguments of `mesonet qspike`.
#[derive(Debug, Clone, Args)]
pub struct QSpikeArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
/// stub
pub fn run(_a: &QSpikeArgs) -> crate::Result<Report> { todo!() }
