//! A Ballista executor that carries the sanctuary functions (see `sanctuary_datafusion::cluster`).

use std::process::ExitCode;
use std::sync::Arc;

use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use clap::Parser;
use sanctuary_datafusion::cluster;

/// A Ballista executor with the sanctuary codecs.
#[derive(Parser)]
#[command(name = "sanctuary-executor", version)]
struct Cli {
    /// The scheduler, `host:port`.
    #[arg(long, default_value = "localhost:50050")]
    scheduler: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Arrow Flight port (results and shuffles).
    #[arg(long, default_value_t = 50051)]
    port: u16,
    /// gRPC port (tasks from the scheduler).
    #[arg(long, default_value_t = 50052)]
    grpc_port: u16,
    /// The host name the scheduler and other executors reach this one by.
    #[arg(long)]
    external_host: Option<String>,
    /// Task slots (default: the number of cores).
    #[arg(long)]
    slots: Option<usize>,
    /// Directory for shuffle files (default: a temporary directory).
    #[arg(long)]
    work_dir: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some((host, port)) = cli.scheduler.rsplit_once(':') else {
        eprintln!(
            "sanctuary-executor: --scheduler must be host:port, not {}",
            cli.scheduler
        );
        return ExitCode::from(2);
    };
    let Ok(scheduler_port) = port.parse::<u16>() else {
        eprintln!("sanctuary-executor: bad scheduler port {port}");
        return ExitCode::from(2);
    };
    let mut config = ExecutorProcessConfig {
        bind_host: cli.bind,
        external_host: cli.external_host,
        port: cli.port,
        grpc_port: cli.grpc_port,
        scheduler_host: host.to_string(),
        scheduler_port,
        work_dir: cli.work_dir,
        override_config_producer: Some(Arc::new(cluster::session_config)),
        override_logical_codec: Some(cluster::logical_codec()),
        override_physical_codec: Some(cluster::physical_codec()),
        ..Default::default()
    };
    if let Some(slots) = cli.slots {
        config.vcores = slots;
    }
    match start_executor_process(Arc::new(config)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sanctuary-executor: {e}");
            ExitCode::FAILURE
        }
    }
}
