//! `pjece serve`: the handout form as a local web page, for therapists who never open a
//! terminal. Arguments become a checked configuration before anything binds (startup errors
//! are the command's), then [`app()`] builds the router that the tests drive too.
//!
//! Only the binary has this module: the library knows nothing of HTTP.

mod api;
mod app;
mod assets;
mod batch;
mod form;
mod form_page;
mod guard;
mod messages;
mod page;
mod reissue;
mod respond;
mod security;
mod state;
#[cfg(test)]
mod tests;
mod today;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use anyhow::{Context, Result, bail};

use crate::cli::args::ServeArgs;
pub use app::app;
pub use state::AppState;

/// Where to listen, checked: loopback addresses only.
struct ServeConfig {
    addresses: Vec<IpAddr>,
    port: u16,
}

impl ServeConfig {
    fn try_from_args(args: &ServeArgs) -> Result<ServeConfig> {
        let addresses = match args.bind {
            None => vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ],
            Some(ip) if ip.is_loopback() => vec![ip],
            Some(ip) => bail!(
                "--bind {ip}: pjece serve listens on this computer only (127.0.0.1 or ::1); \
                 to reach it from the clinic's network, put a reverse proxy with a log-in and \
                 TLS in front of it (see docs/serve.md)"
            ),
        };
        Ok(ServeConfig {
            addresses,
            port: args.port,
        })
    }
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(args: ServeArgs) -> Result<()> {
    let config = ServeConfig::try_from_args(&args)?;
    let engine = args.engine.load()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(config, engine))
}

async fn serve(config: ServeConfig, engine: pjece::Engine) -> Result<()> {
    let mut listeners = Vec::new();
    let mut port = config.port;
    for (i, ip) in config.addresses.iter().enumerate() {
        let addr = SocketAddr::new(*ip, port);
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => {
                // Port 0 picks a free port on the first address; the others use the same one.
                port = l.local_addr()?.port();
                listeners.push(l);
            }
            // A machine without IPv6 still serves on 127.0.0.1.
            Err(_) if i > 0 => {}
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {addr}")),
        }
    }
    // Before any batch of this server's: what a killed server left behind holds patient data.
    let swept = batch::sweep(&std::env::temp_dir());
    if swept > 0 {
        eprintln!(
            "pjece serve: removed {swept} batch director{} a stopped server left behind",
            if swept == 1 { "y" } else { "ies" }
        );
    }
    let state = AppState::new(engine, port)?;
    let router = app(state);
    let first = listeners[0].local_addr()?;
    let shown = match first.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}/"),
        IpAddr::V4(ip) => format!("http://{ip}:{port}/"),
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "pjece serve: open {shown} in a browser; Ctrl-C stops it"
        )?;
        out.flush()?;
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut servers = tokio::task::JoinSet::new();
    for listener in listeners {
        let mut stop = stop_rx.clone();
        let router = router.clone();
        servers.spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        });
    }
    shutdown_signal().await;
    let _ = stop_tx.send(true);
    while let Some(done) = servers.join_next().await {
        done.context("the server stopped unexpectedly")?
            .context("the server failed")?;
    }
    Ok(())
}

/// Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
