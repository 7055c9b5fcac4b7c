//! The crate's integration tests, in one binary (each binary that links DataFusion and
//! Ballista takes its own link step and a few hundred megabytes of disk).
//!
//! - [`udf_identity`]: the functions decide as `Engine::decide` does (proptest over batches
//!   with nulls, NaN, out-of-range values and every class and identity).
//! - [`sql_fields`]: the decision struct's fields filter, group and read as SQL text and lists.
//! - [`codec`]: a plan travels with the query; a payload naming another plan is refused.
//! - [`replay_inputs`]: every input layout a replay reads gives the same decisions; missing
//!   columns, an output that is the archive and a replay failing midway are refused cleanly.
//! - [`replay_cli`]: the `replay` example's exit status and messages.
//! - [`three_way`]: `decide`, `decide_many`, DataFusion, Ballista standalone and a cluster of
//!   processes agree row for row.

use std::path::{Path, PathBuf};

/// A fresh directory under the system's temporary directory for one test (named by the
/// test and this process), removed when dropped, also when the test fails.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    // A test that cannot make its directory cannot run: it fails there.
    #[allow(clippy::unwrap_used)]
    pub(crate) fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("sanctuary-df-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

mod codec;
mod replay_cli;
mod replay_inputs;
mod sql_fields;
mod three_way;
mod udf_identity;
