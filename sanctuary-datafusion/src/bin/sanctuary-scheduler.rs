//! A Ballista scheduler that carries the sanctuary functions (see `sanctuary_datafusion::cluster`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;
use sanctuary_datafusion::cluster;

/// A Ballista scheduler with the sanctuary codecs.
#[derive(Parser)]
#[command(name = "sanctuary-scheduler", version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Port to listen on.
    #[arg(long, default_value_t = 50050)]
    port: u16,
    /// The host name executors and clients reach this scheduler by.
    #[arg(long, default_value = "localhost")]
    external_host: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let addr: SocketAddr = match format!("{}:{}", cli.bind, cli.port).parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("sanctuary-scheduler: bad address {}:{}: {e}", cli.bind, cli.port);
            return ExitCode::from(2);
        }
    };
    let config = SchedulerConfig {
        bind_host: cli.bind.clone(),
        bind_port: cli.port,
        external_host: cli.external_host,
        override_config_producer: Some(Arc::new(cluster::session_config)),
        override_logical_codec: Some(cluster::logical_codec()),
        override_physical_codec: Some(cluster::physical_codec()),
        ..Default::default()
    };
    let run = async {
        let cluster = BallistaCluster::new_from_config(&config).await?;
        start_server(cluster, addr, Arc::new(config)).await
    };
    match run.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sanctuary-scheduler: {e}");
            ExitCode::FAILURE
        }
    }
}
