//! The plan travels with the query: extension codecs that write each sanctuary function
//! into a serialised plan together with its plan, phase and partner, and read it back
//! only when the plan's content hash is the one the function named.
//!
//! A serialised `sanctuary_decide` carries a small JSON document:
//!
//! | key | value |
//! |---|---|
//! | `format` | `"sanctuary-udf/1"` |
//! | `function` | the function's name |
//! | `plan_hash` | the plan's content hash, hex ([`sanctuary::plan::PlanHash`]) |
//! | `phase` | the bound phase's id, or `null` for `sanctuary_decide_at` |
//! | `partner` | the partner's id, or `null` |
//! | `plan` | the plan document (the plan's `Serialize` form: every zone inline) |
//!
//! Decoding rebuilds the plan from the document and refuses it unless its hash equals
//! `plan_hash`; an unknown format, a function of another name, an unknown phase or
//! partner are refused too. Engines are cached per process by the document's SHA-256, so
//! the tasks of one query build the plan's index once per executor.
//!
//! The codecs wrap another codec (Ballista's, or DataFusion's default) and pass every
//! other node to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::{exec_datafusion_err, Result, TableReference};
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{AggregateUDF, Extension, LogicalPlan, ScalarUDF, WindowUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::logical_plan::{DefaultLogicalExtensionCodec, LogicalExtensionCodec};
use datafusion_proto::physical_plan::{
    DefaultPhysicalExtensionCodec, PhysicalExtensionCodec, PhysicalProtoConverterExtension,
};
use sanctuary::{Engine, Plan};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::udf::{Binding, DecideUdf, LocateUdf, DECIDE, DECIDE_AT, LOCATE};

/// The payload's format tag.
pub const FORMAT: &str = "sanctuary-udf/1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload<'a> {
    format: String,
    function: String,
    plan_hash: String,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    partner: Option<String>,
    #[serde(borrow)]
    plan: &'a serde_json::value::RawValue,
}

/// Writes a sanctuary function with its plan into `buf`; false when `udf` is none of ours.
pub fn encode_udf(udf: &ScalarUDF, buf: &mut Vec<u8>) -> Result<bool> {
    let inner: &dyn std::any::Any = udf.inner().as_ref();
    let (binding_engine, phase, partner) = if let Some(d) = inner.downcast_ref::<DecideUdf>() {
        let b = d.binding();
        (
            Arc::clone(b.engine()),
            b.phase_id().map(str::to_string),
            b.partner().map(str::to_string),
        )
    } else if let Some(l) = inner.downcast_ref::<LocateUdf>() {
        (Arc::clone(l.engine()), None, None)
    } else {
        return Ok(false);
    };
    let plan = serde_json::to_string(binding_engine.plan())
        .map_err(|e| exec_datafusion_err!("sanctuary: cannot write the plan: {e}"))?;
    let plan = serde_json::value::RawValue::from_string(plan)
        .map_err(|e| exec_datafusion_err!("sanctuary: cannot write the plan: {e}"))?;
    let payload = Payload {
        format: FORMAT.to_string(),
        function: udf.name().to_string(),
        plan_hash: binding_engine.plan().hash().to_string(),
        phase,
        partner,
        plan: &plan,
    };
    serde_json::to_writer(buf, &payload).map_err(|e| exec_datafusion_err!("sanctuary: {e}"))?;
    Ok(true)
}

/// Engines built from plan documents, by the document's SHA-256.
static ENGINES: Mutex<Option<HashMap<[u8; 32], Arc<Engine>>>> = Mutex::new(None);

/// The engine of a plan document whose hash must be `expected`.
fn engine_for(document: &str, expected: &str) -> Result<Arc<Engine>> {
    let digest: [u8; 32] = Sha256::digest(document.as_bytes()).into();
    if let Some(engine) = ENGINES
        .lock()
        .ok()
        .and_then(|cache| cache.as_ref().and_then(|m| m.get(&digest).cloned()))
    {
        // Cached only after its hash was checked; the same document has the same hash.
        if engine.plan().hash().to_string() == expected {
            return Ok(engine);
        }
    }
    let plan = Plan::from_json_str(document)
        .map_err(|e| exec_datafusion_err!("sanctuary: the query's plan does not load: {e}"))?;
    let found = plan.hash().to_string();
    if found != expected {
        return Err(exec_datafusion_err!(
            "sanctuary: refusing a plan whose content hash is {found}: the query names plan {expected}"
        ));
    }
    let engine = Arc::new(Engine::new(plan));
    if let Ok(mut cache) = ENGINES.lock() {
        let map = cache.get_or_insert_with(HashMap::new);
        // A handful of plans per process; drop them all rather than grow without bound.
        if map.len() >= 16 {
            map.clear();
        }
        map.insert(digest, Arc::clone(&engine));
    }
    Ok(engine)
}

/// Reads back a function written by [`encode_udf`], checking everything it names.
///
/// # Errors
/// When `buf` is not a sanctuary payload, names another function than `name`, or carries
/// a plan that does not load or whose content hash is not the one named: the query fails
/// rather than decide with another plan.
pub fn decode_udf(name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
    let payload: Payload<'_> = serde_json::from_slice(buf)
        .map_err(|e| exec_datafusion_err!("sanctuary: function {name}: not a sanctuary payload: {e}"))?;
    if payload.format != FORMAT {
        return Err(exec_datafusion_err!(
            "sanctuary: function {name}: payload format {:?}, expected {FORMAT:?}",
            payload.format
        ));
    }
    if payload.function != name {
        return Err(exec_datafusion_err!(
            "sanctuary: the payload of function {name} is for function {}",
            payload.function
        ));
    }
    let engine = engine_for(payload.plan.get(), &payload.plan_hash)?;
    let udf = match name {
        LOCATE => ScalarUDF::new_from_impl(LocateUdf::new(engine)),
        DECIDE | DECIDE_AT => {
            if (name == DECIDE) != payload.phase.is_some() {
                return Err(exec_datafusion_err!(
                    "sanctuary: function {name} with phase {:?}",
                    payload.phase
                ));
            }
            let binding = Binding::new(engine, payload.phase.as_deref(), payload.partner.as_deref())
                .map_err(|e| exec_datafusion_err!("sanctuary: function {name}: {e}"))?;
            binding.decide_udf()
        }
        other => return Err(exec_datafusion_err!("sanctuary: no function named {other}")),
    };
    Ok(Arc::new(udf))
}

/// Is `name` one of this crate's functions?
fn ours(name: &str) -> bool {
    matches!(name, DECIDE | DECIDE_AT | LOCATE)
}

/// A logical codec that carries the sanctuary functions with their plans and passes every
/// other node to `inner`.
#[derive(Debug)]
pub struct SanctuaryLogicalCodec {
    inner: Arc<dyn LogicalExtensionCodec>,
}

impl SanctuaryLogicalCodec {
    /// Wraps `inner` (e.g. Ballista's logical codec).
    pub fn new(inner: Arc<dyn LogicalExtensionCodec>) -> Self {
        SanctuaryLogicalCodec { inner }
    }
}

impl Default for SanctuaryLogicalCodec {
    fn default() -> Self {
        Self::new(Arc::new(DefaultLogicalExtensionCodec {}))
    }
}

impl LogicalExtensionCodec for SanctuaryLogicalCodec {
    fn try_decode(&self, buf: &[u8], inputs: &[LogicalPlan], ctx: &TaskContext) -> Result<Extension> {
        self.inner.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        self.inner.try_decode_table_provider(buf, table_ref, schema, ctx)
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.inner.try_encode_table_provider(table_ref, node, buf)
    }

    fn try_decode_file_format(&self, buf: &[u8], ctx: &TaskContext) -> Result<Arc<dyn FileFormatFactory>> {
        self.inner.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(&self, buf: &mut Vec<u8>, node: Arc<dyn FileFormatFactory>) -> Result<()> {
        self.inner.try_encode_file_format(buf, node)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        if ours(name) {
            decode_udf(name, buf)
        } else {
            self.inner.try_decode_udf(name, buf)
        }
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        if encode_udf(node, buf)? {
            Ok(())
        } else {
            self.inner.try_encode_udf(node, buf)
        }
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        self.inner.try_decode_udaf(name, buf)
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode_udaf(node, buf)
    }

    fn try_decode_udwf(&self, name: &str, buf: &[u8]) -> Result<Arc<WindowUDF>> {
        self.inner.try_decode_udwf(name, buf)
    }

    fn try_encode_udwf(&self, node: &WindowUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode_udwf(node, buf)
    }
}

/// A physical codec that carries the sanctuary functions with their plans and passes
/// every other node to `inner`.
#[derive(Debug)]
pub struct SanctuaryPhysicalCodec {
    inner: Arc<dyn PhysicalExtensionCodec>,
}

impl SanctuaryPhysicalCodec {
    /// Wraps `inner` (e.g. Ballista's physical codec).
    pub fn new(inner: Arc<dyn PhysicalExtensionCodec>) -> Self {
        SanctuaryPhysicalCodec { inner }
    }
}

impl Default for SanctuaryPhysicalCodec {
    fn default() -> Self {
        Self::new(Arc::new(DefaultPhysicalExtensionCodec {}))
    }
}

impl PhysicalExtensionCodec for SanctuaryPhysicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.inner.try_decode(buf, inputs, ctx, proto_converter)
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        self.inner.try_encode(node, buf, proto_converter)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        if ours(name) {
            decode_udf(name, buf)
        } else {
            self.inner.try_decode_udf(name, buf)
        }
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        if encode_udf(node, buf)? {
            Ok(())
        } else {
            self.inner.try_encode_udf(node, buf)
        }
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        self.inner.try_decode_udaf(name, buf)
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode_udaf(node, buf)
    }

    fn try_decode_udwf(&self, name: &str, buf: &[u8]) -> Result<Arc<WindowUDF>> {
        self.inner.try_decode_udwf(name, buf)
    }

    fn try_encode_udwf(&self, node: &WindowUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.inner.try_encode_udwf(node, buf)
    }
}
