//! A loopback HTTP server that answers every request `200 {}` and records it; an unsigned
//! request of a digest or NTLM auth gets the server's challenge first
//! ([`signing::Challenger`](super::signing::Challenger)).

use std::sync::{Arc, Mutex};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::newman::MARKER;
use super::signing::Challenger;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Upper-case method.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query string as sent, without `?`.
    pub query: Option<String>,
    /// Header names (lower case) and values, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// Answered with an auth challenge (`401`): the client replays it signed.
    pub challenged: bool,
}

impl Recorded {
    /// The values of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Records each request and answers it.
struct Answer {
    log: Arc<Mutex<Vec<Recorded>>>,
    challenger: Arc<Challenger>,
}

impl Respond for Answer {
    fn respond(&self, r: &wiremock::Request) -> ResponseTemplate {
        let mut request = Recorded {
            method: r.method.as_str().to_ascii_uppercase(),
            path: r.url.path().to_owned(),
            query: r.url.query().map(str::to_owned),
            headers: r
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body: r.body.clone(),
            challenged: false,
        };
        let marker = request.header(MARKER).and_then(|m| m.parse::<usize>().ok());
        let challenge = self.challenger.respond(&request, marker);
        request.challenged = challenge.is_some();
        self.log.lock().unwrap().push(request);
        match challenge {
            Some(value) => ResponseTemplate::new(401).insert_header("WWW-Authenticate", value.as_str()),
            // `Connection: close`: Newman keeps some connections of file bodies open, and never
            // exits while the server keeps them alive (a challenge's replay keeps its connection,
            // as NTLM needs).
            None => ResponseTemplate::new(200).insert_header("Connection", "close").set_body_raw("{}", "application/json"),
        }
    }
}

/// The recording server.
pub struct Recorder {
    server: MockServer,
    log: Arc<Mutex<Vec<Recorded>>>,
    /// The TLS front, if any: its URI and the task accepting connections.
    tls: Option<(String, tokio::task::JoinHandle<()>)>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some((_, task)) = &self.tls {
            task.abort();
        }
    }
}

impl Recorder {
    /// Starts a server on 127.0.0.1 (a random port); with `tls`, clients talk HTTPS to a
    /// front on another port (a self-signed certificate for 127.0.0.1 in `conformance/tls/`,
    /// made for this test only), which forwards to the recorder.
    /// `challenger` says which requests get an auth challenge.
    pub async fn start(tls: bool, challenger: Arc<Challenger>) -> Recorder {
        let server = MockServer::start().await;
        let log = Arc::new(Mutex::new(Vec::new()));
        Mock::given(any()).respond_with(Answer { log: log.clone(), challenger }).mount(&server).await;
        let tls = if tls { Some(tls_front(*server.address()).await) } else { None };
        Recorder { server, log, tls }
    }

    /// `http://127.0.0.1:<port>` (or `https://` for the TLS front).
    pub fn uri(&self) -> String {
        match &self.tls {
            Some((uri, _)) => uri.clone(),
            None => self.server.uri(),
        }
    }

    /// Every request received so far, in order of arrival.
    pub async fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }
}

/// Accepts TLS on a loopback port and forwards each connection to `backend`.
async fn tls_front(backend: std::net::SocketAddr) -> (String, tokio::task::JoinHandle<()>) {
    use std::sync::Arc;

    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    let cert = CertificateDer::from(include_bytes!("tls/cert.der").to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(include_bytes!("tls/key.der").to_vec()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("the test certificate is valid");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let uri = format!("https://{}", listener.local_addr().expect("bound"));
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (uri, task)
}
