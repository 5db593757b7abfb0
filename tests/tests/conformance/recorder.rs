//! A loopback HTTP server that answers every request `200 {}` and records it.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

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
}

impl Recorded {
    /// The values of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The recording server.
pub struct Recorder {
    server: MockServer,
}

impl Recorder {
    /// Starts a server on 127.0.0.1 (a random port).
    pub async fn start() -> Recorder {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
            .mount(&server)
            .await;
        Recorder { server }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every request received so far, in order of arrival.
    pub async fn requests(&self) -> Vec<Recorded> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .map(|r| Recorded {
                method: r.method.as_str().to_ascii_uppercase(),
                path: r.url.path().to_owned(),
                query: r.url.query().map(str::to_owned),
                headers: r
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
                body: r.body,
            })
            .collect()
    }
}
