//! The plan travels with the query: a serialised plan carries each function with its plan
//! and content hash; a reader without the codec, or a payload whose plan is not the one
//! it names, is refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::Arc;

use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::physical_plan::collect;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use datafusion_proto::bytes::{
    logical_plan_from_bytes_with_extension_codec, logical_plan_to_bytes_with_extension_codec,
    physical_plan_from_bytes_with_extension_codec, physical_plan_to_bytes_with_extension_codec,
};
use datafusion_proto::logical_plan::DefaultLogicalExtensionCodec;
use datafusion_proto::physical_plan::DefaultPhysicalExtensionCodec;
use sanctuary::{Engine, Plan};
use sanctuary_datafusion::codec::{decode_udf, SanctuaryLogicalCodec, SanctuaryPhysicalCodec};
use sanctuary_datafusion::{register, Binding};

const SQL: &str =
    "SELECT id, sanctuary_decide(id, lon, lat, alt_m, class, identity, uncertainty_m, speed_mps, \
                   heading_deg, tti_s) AS d, sanctuary_locate(lon, lat) AS l FROM tracks";

struct Fixture {
    dir: std::path::PathBuf,
    binding: Binding,
}

impl Fixture {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sanctuary-df-codec-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let plan = Plan::safe_haven().unwrap();
        sanctuary_datafusion::archive::write_archive(&plan, 11, 3_000, &dir.join("a.parquet")).unwrap();
        let binding = Binding::new(Arc::new(Engine::new(plan)), Some("3"), Some("POL")).unwrap();
        Fixture { dir, binding }
    }

    async fn ctx(&self, with_functions: bool) -> SessionContext {
        let ctx = SessionContext::new();
        if with_functions {
            register(&ctx, &self.binding);
        }
        let path = self.dir.join("a.parquet");
        ctx.register_parquet("tracks", path.to_str().unwrap(), ParquetReadOptions::default())
            .await
            .unwrap();
        ctx
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_physical_plan_carries_its_functions_and_their_plan() {
    let f = Fixture::new("physical");
    runtime().block_on(async {
        let ctx = f.ctx(true).await;
        let plan = ctx.sql(SQL).await.unwrap().create_physical_plan().await.unwrap();
        let expected = pretty_format_batches(&collect(Arc::clone(&plan), ctx.task_ctx()).await.unwrap())
            .unwrap()
            .to_string();
        let bytes =
            physical_plan_to_bytes_with_extension_codec(plan, &SanctuaryPhysicalCodec::default()).unwrap();

        // A process that never registered the functions reads them from the plan itself.
        let other = f.ctx(false).await;
        let back = physical_plan_from_bytes_with_extension_codec(
            &bytes,
            &other.task_ctx(),
            &SanctuaryPhysicalCodec::default(),
        )
        .unwrap();
        let got = pretty_format_batches(&collect(back, other.task_ctx()).await.unwrap())
            .unwrap()
            .to_string();
        assert_eq!(got, expected);
        assert!(
            expected.contains("PERMIT") && expected.contains("DENY"),
            "the sample should hold both verdicts"
        );

        // Without the codec the functions cannot be read: the query fails, it does not guess.
        let e = physical_plan_from_bytes_with_extension_codec(
            &bytes,
            &other.task_ctx(),
            &DefaultPhysicalExtensionCodec {},
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("sanctuary_decide") || e.to_string().contains("sanctuary_locate"),
            "{e}"
        );

        // Even where the functions are registered under the same names, the plan's own
        // payload decides (a registered function of another plan is not used).
        let hash = f.binding.engine().plan().hash().to_string();
        let tampered = replace_once(&bytes, hash.as_bytes(), flip_first_hex(&hash).as_bytes());
        let e = physical_plan_from_bytes_with_extension_codec(
            &tampered,
            &ctx.task_ctx(),
            &SanctuaryPhysicalCodec::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("refusing a plan whose content hash is"),
            "{e}"
        );
    });
}

#[test]
fn a_logical_plan_carries_its_functions_and_their_plan() {
    let f = Fixture::new("logical");
    runtime().block_on(async {
        let ctx = f.ctx(true).await;
        let plan = ctx.sql(SQL).await.unwrap().into_optimized_plan().unwrap();
        let bytes =
            logical_plan_to_bytes_with_extension_codec(&plan, &SanctuaryLogicalCodec::default()).unwrap();
        let other = f.ctx(false).await;
        let back = logical_plan_from_bytes_with_extension_codec(
            &bytes,
            &other.task_ctx(),
            &SanctuaryLogicalCodec::default(),
        )
        .unwrap();
        let got = pretty_format_batches(
            &other
                .execute_logical_plan(back)
                .await
                .unwrap()
                .collect()
                .await
                .unwrap(),
        )
        .unwrap()
        .to_string();
        let expected = pretty_format_batches(&ctx.sql(SQL).await.unwrap().collect().await.unwrap())
            .unwrap()
            .to_string();
        assert_eq!(got, expected);
        let e = logical_plan_from_bytes_with_extension_codec(
            &bytes,
            &other.task_ctx(),
            &DefaultLogicalExtensionCodec {},
        )
        .unwrap_err();
        assert!(e.to_string().contains("sanctuary_"), "{e}");
    });
}

/// The payload of one function, as the codec writes it.
fn payload(binding: &Binding) -> Vec<u8> {
    let mut buf = Vec::new();
    assert!(sanctuary_datafusion::codec::encode_udf(&binding.decide_udf(), &mut buf).unwrap());
    buf
}

#[test]
fn a_payload_whose_plan_is_not_the_one_it_names_is_refused() {
    let engine = Arc::new(Engine::new(Plan::safe_haven().unwrap()));
    let binding = Binding::new(engine, Some("2"), None).unwrap();
    let buf = payload(&binding);
    let udf = decode_udf("sanctuary_decide", &buf).unwrap();
    assert_eq!(udf.name(), "sanctuary_decide");

    // Change one rule of the plan document, keeping its declared hash: refused.
    let text = String::from_utf8(buf.clone()).unwrap();
    let at = text.find("\"standoff_m\":").expect("the plan has standoffs") + "\"standoff_m\":".len();
    let digit = text.as_bytes()[at];
    assert!(digit.is_ascii_digit(), "a standoff is a number");
    let mut changed = buf.clone();
    changed[at] = if digit == b'9' { b'8' } else { digit + 1 };
    let e = decode_udf("sanctuary_decide", &changed).unwrap_err();
    assert!(
        e.to_string().contains("refusing a plan whose content hash is"),
        "{e}"
    );

    // Another function's name, another format, not JSON at all: refused.
    let e = decode_udf("sanctuary_decide_at", &buf).unwrap_err();
    assert!(e.to_string().contains("is for function sanctuary_decide"), "{e}");
    let other_format = text.replacen("sanctuary-udf/1", "sanctuary-udf/9", 1);
    assert!(decode_udf("sanctuary_decide", other_format.as_bytes())
        .unwrap_err()
        .to_string()
        .contains("payload format"));
    assert!(decode_udf("sanctuary_decide", b"\x00\x01")
        .unwrap_err()
        .to_string()
        .contains("not a sanctuary payload"));
    // A phase the plan does not have: refused.
    let bad_phase = text.replacen("\"phase\":\"2\"", "\"phase\":\"7\"", 1);
    assert_ne!(bad_phase, text);
    assert!(decode_udf("sanctuary_decide", bad_phase.as_bytes())
        .unwrap_err()
        .to_string()
        .contains("unknown phase"));
}

fn flip_first_hex(hash: &str) -> String {
    let mut chars: Vec<char> = hash.chars().collect();
    chars[0] = if chars[0] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

fn replace_once(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    assert_eq!(needle.len(), with.len());
    let at = haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the hash is in the plan");
    let mut out = haystack.to_vec();
    out[at..at + needle.len()].copy_from_slice(with);
    out
}
