//! A step whose shards run on several gradient workers: the training worker begins it, sends
//! the tasks of shards 1… with the weights to the workers ([`crate::core::replica::Replica`]
//! each), runs shard 0 itself, takes their results back and finishes it; the bits are those of
//! a step taken whole ([`crate::core::Trainer::step`]). The playground and the bench page's
//! trainer step this way.

use super::types::StepReport;
use crate::core::diag::Diagnose;
use crate::core::error::Result;
use crate::core::{io, Trainer};

/// A trainer stepped a shard at a time.
pub trait Sharded {
    /// Its trainer, ready to step (an error says why it waits).
    fn trainer_mut(&mut self) -> Result<&mut Trainer>;

    /// Its trainer.
    fn trainer(&self) -> &Trainer;

    /// Finishes the step begun (once every shard ran) as a step taken whole does.
    fn finish(&mut self) -> Result<StepReport>;

    /// What a step with diagnostics records (the playground: the heatmap's states).
    const DIAGNOSE: Diagnose;

    /// Begins a step (`diag`: with [`Self::DIAGNOSE`]); the tasks of its shards but the first
    /// (none when the batch is one shard).
    fn begin(&mut self, diag: bool) -> Result<Vec<Vec<u32>>> {
        let t = self.trainer_mut()?;
        t.diagnose = if diag { Self::DIAGNOSE } else { Diagnose::Off };
        let n = t.begin_step();
        (1..n).map(|k| t.shard_task(k)).collect()
    }

    /// The model as a file's bytes, for the gradient workers' replicas.
    fn replica_model(&self) -> Result<Vec<u8>> {
        io::save(&self.trainer().model, None)
    }

    /// Every weight tensor, in the order `Replica::weights_mut` takes them.
    fn weight_slices(&self) -> Vec<&[f32]> {
        self.trainer().model.params.slices()
    }
}
