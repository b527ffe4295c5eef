//! The analysis core: written once against the small traits of [`system`] and never against
//! the simulator's internals. Reference systems with known answers live in [`systems`].

pub mod arnoldi;
pub mod continuation;
pub mod correlation;
pub mod entry;
pub mod fixed_points;
pub mod grid;
pub mod heatmap;
pub mod lyapunov;
pub mod orbit;
pub mod roots;
pub mod spectrum;
pub mod system;
pub mod systems;
pub mod two_copy;

pub use grid::Grid;
pub use system::{Flow, Map, OrbitStatus};
