//! NTLM against a small HTTP/1.1 server that plays the handshake per connection (as IIS does)
//! and verifies the NTLMv2 response of the authenticate message with the password it knows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use md5::Md5;
use postman_codegen_runtime::runtime::auth::base64;
use postman_codegen_runtime::runtime::{
    AuthSpec, Client, FixedEntropy, Operation, SignKind, SignedSpec,
};

use crate::common::get;

static SPEC: SignedSpec = SignedSpec {
    kind: SignKind::Ntlm,
    params: &[
        ("username", "{{ntlm-user}}"),
        ("password", "{{ntlm-password}}"),
        ("domain", "{{ntlm-domain}}"),
        ("workstation", "WS01"),
    ],
};
static NTLM: Operation = Operation {
    name: "test::ntlm",
    auth: AuthSpec::Signed(&SPEC),
};

const SERVER_CHALLENGE: [u8; 8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];

/// One request the server saw: the connection it came on and its `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    connection: usize,
    authorization: Option<String>,
}

/// What the server learned from a verified authenticate message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Login {
    user: String,
    domain: String,
    workstation: String,
}

#[derive(Default)]
struct Log {
    seen: Vec<Seen>,
    logins: Vec<Login>,
}

struct NtlmServer {
    url: String,
    log: Arc<Mutex<Log>>,
}

fn start(password: &'static str) -> NtlmServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let shared = log.clone();
    std::thread::spawn(move || {
        for (connection, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { return };
            let log = shared.clone();
            std::thread::spawn(move || serve(connection, stream, password, &log));
        }
    });
    NtlmServer { url, log }
}

/// Serve one keep-alive connection: the handshake state belongs to the connection.
fn serve(connection: usize, stream: TcpStream, password: &str, log: &Mutex<Log>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut challenged = false;
    let mut authenticated = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut authorization = None;
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).unwrap();
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(value.trim().to_owned()),
                "content-length" => length = value.trim().parse().unwrap(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        log.lock().unwrap().seen.push(Seen {
            connection,
            authorization: authorization.clone(),
        });

        let message = authorization
            .as_deref()
            .and_then(|a| a.strip_prefix("NTLM "))
            .map(decode_base64);
        let (status, www) = match (authenticated, message) {
            (true, _) => (200, None),
            (false, Some(m)) if m.get(8) == Some(&1) => {
                challenged = true;
                (401, Some(format!("NTLM {}", base64(&challenge_message()))))
            }
            (false, Some(m)) if m.get(8) == Some(&3) && challenged => match verify(&m, password) {
                Some(login) => {
                    log.lock().unwrap().logins.push(login);
                    authenticated = true;
                    (200, None)
                }
                None => (401, Some("NTLM".to_owned())),
            },
            _ => (401, Some("NTLM".to_owned())),
        };
        let mut response = format!(
            "HTTP/1.1 {status} {}\r\n",
            if status == 200 { "OK" } else { "Unauthorized" }
        );
        if let Some(www) = &www {
            response.push_str("WWW-Authenticate: Negotiate\r\n");
            response.push_str(&format!("WWW-Authenticate: {www}\r\n"));
        }
        // The first challenge has a body (as IIS sends), the type 2 challenge none: both ways
        // of handing the connection back to reqwest's pool are exercised.
        let body = match (status, www.as_deref()) {
            (200, _) => "welcome",
            (_, Some("NTLM")) => "Unauthorized",
            _ => "",
        };
        response.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// A type 2 message offering NTLMv2 with target info (MS-NLMP 4.2.4's AV pairs).
fn challenge_message() -> Vec<u8> {
    let target_name: Vec<u8> = "Server".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let target_info =
        hex("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000");
    let mut m = b"NTLMSSP\0".to_vec();
    m.extend_from_slice(&2u32.to_le_bytes());
    let name_offset = 48u32;
    let info_offset = name_offset + target_name.len() as u32;
    m.extend_from_slice(&(target_name.len() as u16).to_le_bytes());
    m.extend_from_slice(&(target_name.len() as u16).to_le_bytes());
    m.extend_from_slice(&name_offset.to_le_bytes());
    m.extend_from_slice(&0xe289_8235u32.to_le_bytes());
    m.extend_from_slice(&SERVER_CHALLENGE);
    m.extend_from_slice(&[0; 8]);
    m.extend_from_slice(&(target_info.len() as u16).to_le_bytes());
    m.extend_from_slice(&(target_info.len() as u16).to_le_bytes());
    m.extend_from_slice(&info_offset.to_le_bytes());
    m.extend_from_slice(&target_name);
    m.extend_from_slice(&target_info);
    m
}

/// Check an authenticate message's NTProofStr (NTLMv2) the way a domain controller does.
fn verify(m: &[u8], password: &str) -> Option<Login> {
    let field = |at: usize| -> Option<&[u8]> {
        let len = u16::from_le_bytes([*m.get(at)?, *m.get(at + 1)?]) as usize;
        let offset = u32::from_le_bytes(m.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        m.get(offset..offset + len)
    };
    let utf16 = |b: &[u8]| {
        String::from_utf16(
            &b.chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect::<Vec<_>>(),
        )
        .ok()
    };
    let nt = field(20)?;
    let domain = utf16(field(28)?)?;
    let user = utf16(field(36)?)?;
    let workstation = utf16(field(44)?)?;
    let nt_hash = Md4::digest(
        password
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<_>>(),
    );
    let identity: Vec<u8> = format!("{}{domain}", user.to_uppercase())
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let key = hmac_md5(&nt_hash, &[&identity]);
    let (proof, blob) = nt.split_at(16);
    (hmac_md5(&key, &[&SERVER_CHALLENGE, blob]) == proof).then_some(Login {
        user,
        domain,
        workstation,
    })
}

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = <Hmac<Md5> as hmac::KeyInit>::new_from_slice(key).unwrap();
    for part in parts {
        Mac::update(&mut mac, part);
    }
    mac.finalize().into_bytes().to_vec()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn decode_base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for b in s.bytes().take_while(|b| *b != b'=') {
        acc = (acc << 6) | ALPHABET.iter().position(|a| *a == b).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn client(server: &NtlmServer, user: &str, domain: &str, password: &str) -> Client {
    Client::builder(())
        .var("api-domain", server.url.clone())
        .secret("ntlm-user", user)
        .secret("ntlm-domain", domain)
        .secret("ntlm-password", password)
        .entropy(FixedEntropy::new(1_700_000_000_000, 3))
        .build()
        .unwrap()
}

fn seen(server: &NtlmServer) -> Vec<Seen> {
    server.log.lock().unwrap().seen.clone()
}

fn prefix(s: &Seen) -> Option<&str> {
    s.authorization.as_deref().map(|a| &a[..a.len().min(13)])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_legs_on_one_connection_then_the_connection_stays_authenticated() {
    let server = start("Passw0rd!");
    let client = client(&server, "alice", "corp", "Passw0rd!");

    let response = get(&client, &NTLM, "/secure").await.unwrap();
    assert_eq!(response.text().unwrap(), "welcome");
    let legs = seen(&server);
    assert_eq!(legs.len(), 3, "{legs:?}");
    assert_eq!(prefix(&legs[0]), None);
    assert_eq!(prefix(&legs[1]), Some("NTLM TlRMTVNT"));
    assert_eq!(prefix(&legs[2]), Some("NTLM TlRMTVNT"));
    assert!(
        legs.iter().all(|s| s.connection == legs[0].connection),
        "one keep-alive connection: {legs:?}"
    );
    assert_eq!(
        server.log.lock().unwrap().logins,
        vec![Login {
            user: "alice".into(),
            domain: "CORP".into(),
            workstation: "WS01".into()
        }]
    );

    // NTLM authenticates the connection: the next call goes unsigned on it and is let in.
    get(&client, &NTLM, "/secure").await.unwrap();
    let after = seen(&server);
    assert_eq!(after.len(), 4, "{after:?}");
    assert_eq!(
        after[3],
        Seen {
            connection: legs[0].connection,
            authorization: None
        }
    );
}

#[tokio::test]
async fn domain_from_the_username() {
    let server = start("pw");
    let client = client(&server, "EXAMPLE\\bob", "", "pw");
    get(&client, &NTLM, "/secure").await.unwrap();
    assert_eq!(
        server.log.lock().unwrap().logins,
        vec![Login {
            user: "bob".into(),
            domain: "EXAMPLE".into(),
            workstation: "WS01".into()
        }]
    );
}

#[tokio::test]
async fn a_wrong_password_ends_with_the_401() {
    let server = start("right");
    let client = client(&server, "alice", "corp", "wrong");
    let err = get(&client, &NTLM, "/secure").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    assert_eq!(seen(&server).len(), 3);
    assert!(server.log.lock().unwrap().logins.is_empty());
    // The handshake starts over on the next call.
    let _ = get(&client, &NTLM, "/secure").await;
    let again = seen(&server);
    assert_eq!(again.len(), 6, "{again:?}");
    assert_eq!(prefix(&again[3]), None);
}
