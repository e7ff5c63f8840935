//! The training core: cells, model, losses, optimizers, data, trainer, sampling, diagnostics,
//! looking inside a text model (inspection, saliency, neurons, PCA) and model files. Pure
//! computation: no web, file or clock code; compiles natively and for wasm32.

pub mod average;
pub mod bptt;
pub mod cell;
pub mod config;
pub mod data;
pub mod decimal;
pub mod diag;
pub mod error;
pub mod exec;
pub mod fixed;
pub mod init;
pub mod inspect;
pub mod io;
pub mod kernels;
pub mod loss;
pub mod mathf;
pub mod model;
pub mod neurons;
pub mod optim;
pub mod pca;
pub mod replica;
pub mod rng;
pub mod saliency;
pub mod sample;
pub mod series;
pub mod session;
pub mod settings;
pub mod shards;
pub mod tasks;
pub mod trainer;

pub use config::Config;
pub use error::{Error, Result};
pub use model::{CellKind, LossKind, Model, ModelSpec};
pub use trainer::{StepStats, Trainer};
