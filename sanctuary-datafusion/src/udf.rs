//! The scalar functions: `sanctuary_decide`, `sanctuary_decide_at` and `sanctuary_locate`.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{
    ArrayRef, DictionaryArray, Int32Array, ListBuilder, StringArray, StringBuilder, StructArray,
};
use datafusion::arrow::datatypes::Int32Type;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{exec_datafusion_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use sanctuary::engine::DecisionView;
use sanctuary::plan::{Identity, PhaseHandle, TargetClass};
use sanctuary::{Decision, Engine, Track, Verdict};

use crate::columns::{coerce, Columns, Layout, Role};
use crate::BindError;

/// Name of the decision function bound to one phase.
pub const DECIDE: &str = "sanctuary_decide";
/// Name of the decision function that takes the phase from each row's time.
pub const DECIDE_AT: &str = "sanctuary_decide_at";
/// Name of the location function.
pub const LOCATE: &str = "sanctuary_locate";

/// Rows read into tracks at a time before they are decided.
const READ_BLOCK_ROWS: usize = 128;

/// Batches of at least this many rows are decided on several threads.
const PARALLEL_MIN_ROWS: usize = 2048;

/// Which phase a decision function decides in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhaseChoice {
    /// One phase for every row.
    Fixed(PhaseHandle),
    /// The phase in force at each row's time (the first argument).
    ByTime,
}

/// An engine, a phase choice and an optional partner: everything a decision depends on
/// besides the row.
#[derive(Debug, Clone)]
pub struct Binding {
    engine: Arc<Engine>,
    phase: PhaseChoice,
    partner: Option<String>,
}

impl Binding {
    /// Binds a plan's engine to a phase (its id) or to the rows' times (`None`), and an
    /// optional partner.
    ///
    /// # Errors
    /// [`BindError::UnknownPhase`] or [`BindError::UnknownPartner`] when the plan has no
    /// such phase or partner: a query never starts with a binding every row would deny.
    pub fn new(engine: Arc<Engine>, phase: Option<&str>, partner: Option<&str>) -> Result<Self, BindError> {
        let plan = engine.plan();
        let phase = match phase {
            None => PhaseChoice::ByTime,
            Some(id) => PhaseChoice::Fixed(plan.phase(id).ok_or_else(|| BindError::UnknownPhase {
                phase: id.to_string(),
                known: plan.phases().iter().map(|p| p.id.to_string()).collect(),
            })?),
        };
        if let Some(p) = partner {
            if plan.partner_index(p).is_none() {
                return Err(BindError::UnknownPartner {
                    partner: p.to_string(),
                    known: plan.partners().iter().map(|p| p.id.to_string()).collect(),
                });
            }
        }
        Ok(Binding {
            engine,
            phase,
            partner: partner.map(str::to_string),
        })
    }

    /// The bound engine.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The phase choice.
    pub fn phase(&self) -> PhaseChoice {
        self.phase
    }

    /// The phase's id, or `None` for decisions by time.
    pub fn phase_id(&self) -> Option<&str> {
        match self.phase {
            PhaseChoice::Fixed(h) => self.engine.plan().phases().get(h.index()).map(|p| p.id.as_str()),
            PhaseChoice::ByTime => None,
        }
    }

    /// The partner, if any.
    pub fn partner(&self) -> Option<&str> {
        self.partner.as_deref()
    }

    /// Decides on one track as the functions do.
    pub fn decide(&self, track: &Track) -> Decision {
        self.decide_view(track).to_decision(track)
    }

    /// Decides on one track as the functions do, without allocating.
    pub fn decide_view(&self, track: &Track) -> DecisionView<'_> {
        match self.phase {
            PhaseChoice::Fixed(h) => self.engine.decide_view(track, h, self.partner.as_deref()),
            PhaseChoice::ByTime => self
                .engine
                .decide_view_at_track_time(track, self.partner.as_deref()),
        }
    }

    /// The decision function of this binding: `sanctuary_decide` for a fixed phase,
    /// `sanctuary_decide_at` for decisions by time.
    pub fn decide_udf(&self) -> ScalarUDF {
        ScalarUDF::new_from_impl(DecideUdf::new(self.clone()))
    }

    /// The location function over the bound plan's zones.
    pub fn locate_udf(&self) -> ScalarUDF {
        ScalarUDF::new_from_impl(LocateUdf::new(Arc::clone(&self.engine)))
    }
}

impl PartialEq for Binding {
    fn eq(&self, other: &Self) -> bool {
        self.engine.plan().hash() == other.engine.plan().hash()
            && self.phase == other.phase
            && self.partner == other.partner
    }
}

impl Eq for Binding {}

impl Hash for Binding {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.engine.plan().hash().hash(state);
        self.phase.hash(state);
        self.partner.hash(state);
    }
}

/// The type of the decision struct's text fields: text keyed by `Int32`.
pub(crate) fn dictionary() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// The fields of the decision struct, in order.
pub fn decision_fields() -> Fields {
    static FIELDS: LazyLock<Fields> = LazyLock::new(|| {
        Fields::from(vec![
            // Ids and the verdict are keys into dictionaries of the plan's own values.
            Field::new("verdict", dictionary(), false),
            Field::new("zone", dictionary(), true),
            Field::new("phase", dictionary(), true),
            Field::new(
                "reasons",
                DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
                false,
            ),
            Field::new("margin_m", DataType::Float64, true),
            Field::new("margin_is_lower_bound", DataType::Boolean, false),
            Field::new("exclusion", dictionary(), true),
            // The same on every row: one dictionary value, a key per row.
            Field::new("plan_hash", dictionary(), false),
        ])
    });
    FIELDS.clone()
}

/// `sanctuary_decide(...)` / `sanctuary_decide_at(time, ...)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct DecideUdf {
    binding: Binding,
    signature: Signature,
}

impl DecideUdf {
    pub(crate) fn new(binding: Binding) -> Self {
        DecideUdf {
            binding,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }

    pub(crate) fn binding(&self) -> &Binding {
        &self.binding
    }

    fn by_time(&self) -> bool {
        self.binding.phase == PhaseChoice::ByTime
    }
}

impl ScalarUDFImpl for DecideUdf {
    fn name(&self) -> &str {
        if self.by_time() {
            DECIDE_AT
        } else {
            DECIDE
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let layout = Layout::for_count(self.name(), self.by_time(), arg_types.len())?;
        arg_types
            .iter()
            .enumerate()
            .map(|(i, t)| coerce(self.name(), layout.role(i), t))
            .collect()
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(decision_fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let layout = Layout::for_count(self.name(), self.by_time(), args.args.len())?;
        let arrays = args
            .args
            .into_iter()
            .map(|a| a.into_array(rows))
            .collect::<Result<Vec<ArrayRef>>>()?;
        let columns = Columns::new(layout, &arrays)?;
        let values = Values::of(self.binding.engine.plan());
        // Rows `range` of the batch, decided into `out` (their rows of the batch's sheet)
        // and `codes` (their reason codes).
        let decide = |range: std::ops::Range<usize>, out: &mut [Row], codes: &mut Codes| {
            let blank = Track::new(
                "track",
                f64::NAN,
                f64::NAN,
                f64::NAN,
                TargetClass::Unknown,
                Identity::Unknown,
            );
            // The rows are read a block at a time, column after column in a tight loop
            // (the reads stream through memory), then decided.
            let mut tracks = vec![blank; READ_BLOCK_ROWS.min(range.len())];
            let mut out = out.iter_mut();
            let mut start = range.start;
            while start < range.end {
                let end = range.end.min(start + READ_BLOCK_ROWS);
                let block = tracks.get_mut(..end - start).unwrap_or_default();
                for (track, row) in block.iter_mut().zip(start..end) {
                    columns.read(row, track);
                }
                for (track, row) in block.iter().zip(&mut out) {
                    *row = Row::of(&self.binding.decide_view(track), codes);
                }
                start = end;
            }
        };
        // A query that runs as many partitions as rayon has threads already keeps every
        // core busy: its batches are decided where they are (sharing them out again would
        // only add waiting). Fewer partitions (the replay's one ordered stream): rayon.
        let partitions = args.config_options.execution.target_partitions;
        let chunks = if rows < PARALLEL_MIN_ROWS || partitions >= rayon::current_num_threads() {
            1
        } else {
            // A few chunks per thread, so that a thread slowed by other work (the
            // replay's writer, say) does not hold the batch up.
            (rows / (PARALLEL_MIN_ROWS / 2)).clamp(1, 4 * rayon::current_num_threads().max(1))
        };
        // Every row of the sheet is written by the chunk that holds it.
        let mut sheet = vec![Row::UNDECIDED; rows];
        let size = rows.div_ceil(chunks).max(1);
        let mut codes: Vec<Codes> = (0..chunks).map(|_| Codes::default()).collect();
        if chunks == 1 {
            if let Some(c) = codes.first_mut() {
                decide(0..rows, &mut sheet, c);
            }
        } else {
            // A large batch is decided on rayon's threads, each chunk into its own rows
            // of the sheet; only the reason codes are joined after.
            use rayon::prelude::*;
            sheet
                .par_chunks_mut(size)
                .zip(codes.par_iter_mut())
                .enumerate()
                .for_each(|(c, (out, codes))| {
                    let from = c * size;
                    decide(from..from + out.len(), out, codes);
                });
        }
        let array = finish(&sheet, &codes, &values)?;
        Ok(ColumnarValue::Array(Arc::new(array)))
    }
}

/// The values the decision struct's dictionaries key into: the plan's own, the same for
/// every row.
pub(crate) struct Values {
    verdicts: ArrayRef,
    zones: ArrayRef,
    phases: ArrayRef,
    hash: ArrayRef,
}

/// Keys of `PERMIT` and `DENY` in [`Values::verdicts`].
const PERMIT_KEY: i32 = 0;
const DENY_KEY: i32 = 1;

impl Values {
    pub(crate) fn of(plan: &sanctuary::Plan) -> Values {
        let text = |v: Vec<&str>| -> ArrayRef { Arc::new(StringArray::from(v)) };
        Values {
            verdicts: text(vec!["PERMIT", "DENY"]),
            zones: text(plan.index().zones().iter().map(|z| z.id()).collect()),
            phases: text(plan.phases().iter().map(|p| p.id.as_str()).collect()),
            hash: Arc::new(StringArray::from(vec![plan.hash().to_string()])),
        }
    }
}

/// A dictionary key: a handle's position (plans hold far fewer than 2^31 zones or
/// phases).
fn key(index: usize) -> Option<i32> {
    i32::try_from(index).ok()
}

/// One row's decision as the struct's fixed-width fields hold it (a key of -1 is a
/// null); its reason codes are in its chunk's [`Codes`].
#[derive(Debug, Clone, Copy)]
struct Row {
    margin: f64,
    verdict: i32,
    zone: i32,
    phase: i32,
    exclusion: i32,
    /// How many reason codes the row has.
    codes: u32,
    has_margin: bool,
    lower_bound: bool,
}

impl Row {
    /// The value of a row no chunk has written yet (every row is written before the
    /// sheet is read): a DENY without reasons.
    const UNDECIDED: Row = Row {
        margin: 0.0,
        verdict: DENY_KEY,
        zone: -1,
        phase: -1,
        exclusion: -1,
        codes: 0,
        has_margin: false,
        lower_bound: false,
    };

    fn of(d: &DecisionView<'_>, codes: &mut Codes) -> Row {
        let handle = |index: Option<usize>| index.and_then(key).unwrap_or(-1);
        let mut n = 0;
        for r in d.reasons() {
            codes.push(r.as_str());
            n += 1;
        }
        Row {
            // A null margin's slot holds 0, as Arrow's builders leave it.
            margin: d.margin_m().unwrap_or(0.0),
            verdict: match d.verdict() {
                Verdict::Permit => PERMIT_KEY,
                Verdict::Deny => DENY_KEY,
            },
            zone: handle(d.zone_handle().map(|h| h.index())),
            phase: handle(d.phase_handle().map(|h| h.index())),
            exclusion: handle(d.exclusion_handle().map(|h| h.index())),
            codes: n,
            has_margin: d.margin_m().is_some(),
            lower_bound: d.margin_is_lower_bound(),
        }
    }
}

/// One chunk's reason codes, row after row: their text end to end, and where each ends.
#[derive(Debug, Default)]
struct Codes {
    text: String,
    ends: Vec<usize>,
}

impl Codes {
    fn push(&mut self, code: &str) {
        self.text.push_str(code);
        self.ends.push(self.text.len());
    }
}

/// An Arrow offset for a count or a length, or an error when it does not fit.
fn offset(n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| exec_datafusion_err!("sanctuary: a batch's reasons exceed 2 GiB"))
}

/// Validity bits, only for a column with a null (as Arrow's builders make them).
fn nulls(valid: Vec<bool>) -> Option<datafusion::arrow::buffer::NullBuffer> {
    Some(datafusion::arrow::buffer::NullBuffer::from(valid)).filter(|n| n.null_count() > 0)
}

/// One of a sheet's key fields as `Int32` keys (-1 a null).
fn keys(sheet: &[Row], key: impl Fn(&Row) -> i32) -> Result<Int32Array> {
    let values: Vec<i32> = sheet.iter().map(|r| key(r).max(0)).collect();
    let valid: Vec<bool> = sheet.iter().map(|r| key(r) >= 0).collect();
    Ok(Int32Array::try_new(values.into(), nulls(valid))?)
}

/// The decision struct of a batch: its rows, and its chunks' reason codes in order.
fn finish(sheet: &[Row], codes: &[Codes], values: &Values) -> Result<StructArray> {
    use datafusion::arrow::array::{BooleanArray, Float64Array, ListArray};
    use datafusion::arrow::buffer::{Buffer, OffsetBuffer, ScalarBuffer};
    let dict = |keys: Int32Array, values: &ArrayRef| -> Result<ArrayRef> {
        Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
            keys,
            Arc::clone(values),
        )?))
    };
    // The reasons: a list per row over the codes of every chunk, end to end.
    let mut list_offsets = Vec::with_capacity(sheet.len() + 1);
    let mut total = 0usize;
    list_offsets.push(0);
    for r in sheet {
        total += r.codes as usize;
        list_offsets.push(offset(total)?);
    }
    let mut code_offsets = Vec::with_capacity(total + 1);
    code_offsets.push(0);
    let mut text = Vec::with_capacity(codes.iter().map(|c| c.text.len()).sum());
    for c in codes {
        let base = text.len();
        for &end in &c.ends {
            code_offsets.push(offset(base + end)?);
        }
        text.extend_from_slice(c.text.as_bytes());
    }
    if code_offsets.len() != total + 1 {
        return Err(exec_datafusion_err!(
            "sanctuary: {} reason codes for rows that list {total}",
            code_offsets.len() - 1
        ));
    }
    // Both offset lists start at 0 and never decrease (sums of lengths), as
    // `OffsetBuffer::new` requires.
    let strings = StringArray::try_new(
        OffsetBuffer::new(ScalarBuffer::from(code_offsets)),
        Buffer::from_vec(text),
        None,
    )?;
    let reasons = ListArray::try_new(
        Arc::new(Field::new_list_field(DataType::Utf8, true)),
        OffsetBuffer::new(ScalarBuffer::from(list_offsets)),
        Arc::new(strings),
        None,
    )?;
    let margin = Float64Array::try_new(
        ScalarBuffer::from(sheet.iter().map(|r| r.margin).collect::<Vec<f64>>()),
        nulls(sheet.iter().map(|r| r.has_margin).collect()),
    )?;
    let bound = BooleanArray::from(sheet.iter().map(|r| r.lower_bound).collect::<Vec<bool>>());
    let verdict: Vec<i32> = sheet.iter().map(|r| r.verdict).collect();
    // The plan hash is the same on every row: key 0 of a one-value dictionary.
    let hash = DictionaryArray::<Int32Type>::try_new(
        Int32Array::from(vec![0; sheet.len()]),
        Arc::clone(&values.hash),
    )?;
    let arrays: Vec<ArrayRef> = vec![
        dict(Int32Array::from(verdict), &values.verdicts)?,
        dict(keys(sheet, |r| r.zone)?, &values.zones)?,
        dict(keys(sheet, |r| r.phase)?, &values.phases)?,
        Arc::new(reasons),
        Arc::new(margin),
        Arc::new(bound),
        dict(keys(sheet, |r| r.exclusion)?, &values.zones)?,
        Arc::new(hash),
    ];
    StructArray::try_new(decision_fields(), arrays, None).map_err(|e| exec_datafusion_err!("sanctuary: {e}"))
}

/// The fields of the location struct.
pub fn location_fields() -> Fields {
    let list = || DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)));
    Fields::from(vec![
        Field::new("inside", list(), false),
        Field::new("boundary", list(), false),
    ])
}

/// `sanctuary_locate(lon, lat)`: the ids of the zones whose interior holds the point, and
/// of those whose boundary does; a null for a point that is null, not finite or out of
/// range.
#[derive(Debug)]
pub(crate) struct LocateUdf {
    engine: Arc<Engine>,
    signature: Signature,
}

impl LocateUdf {
    pub(crate) fn new(engine: Arc<Engine>) -> Self {
        LocateUdf {
            engine,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }

    pub(crate) fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }
}

impl PartialEq for LocateUdf {
    fn eq(&self, other: &Self) -> bool {
        self.engine.plan().hash() == other.engine.plan().hash()
    }
}

impl Eq for LocateUdf {}

impl Hash for LocateUdf {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.engine.plan().hash().hash(state);
    }
}

impl ScalarUDFImpl for LocateUdf {
    fn name(&self) -> &str {
        LOCATE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [lon, lat] => Ok(vec![
                coerce(LOCATE, Role::Number("lon"), lon)?,
                coerce(LOCATE, Role::Number("lat"), lat)?,
            ]),
            _ => datafusion::common::plan_err!(
                "{LOCATE} takes 2 arguments (lon, lat), got {}",
                arg_types.len()
            ),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(location_fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::buffer::NullBuffer;
        let rows = args.number_rows;
        let arrays = args
            .args
            .into_iter()
            .map(|a| a.into_array(rows))
            .collect::<Result<Vec<ArrayRef>>>()?;
        // Numbers (decimals from their digits), or text read as `decide` reads a cell.
        let (lon, lat) = (
            crate::columns::number(&arrays, 0)?,
            crate::columns::number(&arrays, 1)?,
        );
        let index = self.engine.plan().index();
        let mut inside = ListBuilder::with_capacity(StringBuilder::new(), rows);
        let mut boundary = ListBuilder::with_capacity(StringBuilder::new(), rows);
        let mut valid = Vec::with_capacity(rows);
        let mut location = sanctuary::index::Location::default();
        for row in 0..rows {
            let ok = match (lon.required(row), lat.required(row)) {
                (Some(x), Some(y)) => index.locate_into(x, y, &mut location).is_ok(),
                _ => false,
            };
            if ok {
                for h in &location.inside {
                    inside.values().append_value(index.zone(*h).id());
                }
                for h in &location.boundary {
                    boundary.values().append_value(index.zone(*h).id());
                }
            }
            inside.append(true);
            boundary.append(true);
            valid.push(ok);
        }
        let arrays: Vec<ArrayRef> = vec![Arc::new(inside.finish()), Arc::new(boundary.finish())];
        let array = StructArray::try_new(location_fields(), arrays, Some(NullBuffer::from(valid)))
            .map_err(|e| exec_datafusion_err!("{LOCATE}: {e}"))?;
        Ok(ColumnarValue::Array(Arc::new(array)))
    }
}
