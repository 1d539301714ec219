//! A soak test: thousands of calls from concurrent tasks against a local
//! server that injects faults at random (429 with and without headers, 5xx,
//! connection resets, slow and truncated bodies, malformed JSON, unknown
//! fields and enum values). Every attempt the server sees is logged under
//! the call it belongs to, so each call's outcome is checked against what
//! was injected:
//! - no task panics;
//! - each call ends `Ok` or in the typed error its last attempt's fault calls for;
//! - retries never exceed the policy, follow only retryable faults, and a
//!   POST is repeated only after a 429;
//! - a dropped stream stops fetching;
//! - at the end, open connections are within the pool's bound.
//!
//! It prints one summary line (calls, faults by kind, outcomes by kind).
//! Seeded: `SOAK_SEED=n` replays a run, `SOAK_CALLS=n` sets its size.

mod common;

use intercom_api::{models, Client, Error, RetryPolicy, StreamExt, TryStreamExt};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_RETRIES: u32 = 3;
const POOL_IDLE_PER_HOST: usize = 8;
const TIMEOUT: Duration = Duration::from_millis(300);
const TASKS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Fault {
    Ok,
    /// 200 with fields and an enum value the types do not know.
    Unknown,
    /// 429 with `Retry-After: 0`.
    LimitedWithHeader,
    /// 429 without any header.
    LimitedBare,
    Status500,
    Status503,
    Status404,
    /// The connection is closed without an answer.
    Reset,
    /// The answer comes after the client's timeout.
    Slow,
    /// `Content-Length` promises more than is sent, then the connection closes.
    Truncated,
    /// 200 whose body is not JSON.
    Malformed,
}

const FAULTS: &[(Fault, u32)] = &[
    (Fault::Ok, 40),
    (Fault::Unknown, 10),
    (Fault::LimitedWithHeader, 7),
    (Fault::LimitedBare, 5),
    (Fault::Status500, 5),
    (Fault::Status503, 5),
    (Fault::Status404, 4),
    (Fault::Reset, 7),
    (Fault::Slow, 2),
    (Fault::Truncated, 7),
    (Fault::Malformed, 8),
];

/// xorshift64*: enough for picking faults, and seeded.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fault(&mut self) -> Fault {
        let total: u32 = FAULTS.iter().map(|(_, w)| w).sum();
        let mut pick = (self.next() % u64::from(total)) as u32;
        for &(f, w) in FAULTS {
            if pick < w {
                return f;
            }
            pick -= w;
        }
        Fault::Ok
    }
}

/// What the server saw and did.
#[derive(Default)]
struct Log {
    /// Per call id: the fault of each attempt, in order.
    attempts: HashMap<String, Vec<Fault>>,
    /// Requests of the stream that is dropped early.
    stream_requests: usize,
}

struct Server {
    url: String,
    log: Arc<Mutex<Log>>,
    open: Arc<AtomicUsize>,
}

async fn start(seed: u64) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let open = Arc::new(AtomicUsize::new(0));
    let rng = Arc::new(Mutex::new(Rng(seed | 1)));
    let (l, o) = (log.clone(), open.clone());
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let (log, open, rng) = (l.clone(), o.clone(), rng.clone());
            open.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                serve(socket, &log, &rng).await;
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    Server { url, log, open }
}

/// One request off the connection: method, target, body; `None` at its end.
async fn read_request(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, String, Vec<u8>)> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + 4 + length {
        let mut chunk = [0u8; 4096];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end + 4..head_end + 4 + length].to_vec();
    buf.drain(..head_end + 4 + length);
    Some((method, target, body))
}

/// The call a request belongs to: `starting_after` in the query (lists) or
/// in `pagination` of the body (searches).
fn call_id(target: &str, body: &[u8]) -> Option<String> {
    if let Some(query) = target.split_once('?').map(|(_, q)| q) {
        for pair in query.split('&') {
            if let Some(v) = pair.strip_prefix("starting_after=") {
                return Some(v.to_string());
            }
        }
    }
    let json: Value = serde_json::from_slice(body).ok()?;
    json.pointer("/pagination/starting_after")?
        .as_str()
        .map(String::from)
}

fn page_body(unknown: bool, next: Option<&str>) -> Vec<u8> {
    let mut page = common::page(&["1", "2"], next);
    if unknown {
        page["brand_new_field"] = json!({"nested": [1, 2]});
        page["conversations"][0]["state"] = json!("archived_in_the_future");
        page["conversations"][1]["ai_agent_v9"] = json!(true);
    }
    serde_json::to_vec(&page).unwrap()
}

async fn serve(mut socket: TcpStream, log: &Mutex<Log>, rng: &Mutex<Rng>) {
    let mut buf = Vec::new();
    while let Some((method, target, body)) = read_request(&mut socket, &mut buf).await {
        let id = call_id(&target, &body).unwrap_or_default();
        // The stream that is dropped: always answers a page with a next cursor.
        if let Some(n) = id.strip_prefix("stream-") {
            log.lock().unwrap().stream_requests += 1;
            let next = format!("stream-{}", n.parse::<u32>().unwrap_or(0) + 1);
            let body = page_body(false, Some(&next));
            if write(&mut socket, "200 OK", &[], &body).await.is_err() {
                return;
            }
            continue;
        }
        let fault = rng.lock().unwrap().fault();
        log.lock()
            .unwrap()
            .attempts
            .entry(id)
            .or_default()
            .push(fault);
        let _ = method;
        let result = match fault {
            Fault::Ok => write(&mut socket, "200 OK", &[], &page_body(false, None)).await,
            Fault::Unknown => write(&mut socket, "200 OK", &[], &page_body(true, None)).await,
            Fault::LimitedWithHeader => {
                write(
                    &mut socket,
                    "429 Too Many Requests",
                    &[("Retry-After", "0")],
                    b"{}",
                )
                .await
            }
            Fault::LimitedBare => write(&mut socket, "429 Too Many Requests", &[], b"").await,
            Fault::Status500 => write(&mut socket, "500 Internal Server Error", &[], b"oops").await,
            Fault::Status503 => write(&mut socket, "503 Service Unavailable", &[], b"").await,
            Fault::Status404 => {
                let body =
                    serde_json::to_vec(&common::error_list("not_found", "Not found")).unwrap();
                write(&mut socket, "404 Not Found", &[], &body).await
            }
            Fault::Reset => return,
            Fault::Slow => {
                tokio::time::sleep(TIMEOUT * 2).await;
                write(&mut socket, "200 OK", &[], &page_body(false, None)).await
            }
            Fault::Truncated => {
                let body = page_body(false, None);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len() + 100
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body[..body.len() / 2]).await;
                return;
            }
            Fault::Malformed => {
                write(
                    &mut socket,
                    "200 OK",
                    &[],
                    b"{\"type\": \"conversation.list\", ",
                )
                .await
            }
        };
        if result.is_err() {
            return;
        }
    }
}

async fn write(
    socket: &mut TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body).await
}

/// How a call ended, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Ok,
    Api(u16),
    Decode,
    Timeout,
    Transport,
    Other,
}

fn outcome<T>(r: &Result<T, Error>) -> Outcome {
    match r {
        Ok(_) => Outcome::Ok,
        Err(Error::Api(e)) => Outcome::Api(e.status),
        Err(Error::Decode(_)) => Outcome::Decode,
        Err(e) if e.is_timeout() => Outcome::Timeout,
        Err(Error::Transport(_)) => Outcome::Transport,
        Err(_) => Outcome::Other,
    }
}

/// The outcome a call must have when its last attempt met `fault`.
fn expected(fault: Fault) -> &'static [Outcome] {
    match fault {
        Fault::Ok | Fault::Unknown => &[Outcome::Ok],
        Fault::LimitedWithHeader | Fault::LimitedBare => &[Outcome::Api(429)],
        Fault::Status500 => &[Outcome::Api(500)],
        Fault::Status503 => &[Outcome::Api(503)],
        Fault::Status404 => &[Outcome::Api(404)],
        Fault::Malformed => &[Outcome::Decode],
        Fault::Slow => &[Outcome::Timeout],
        // A body cut short is a transport error, or a timeout when the
        // client waits for the rest until the connection closes.
        Fault::Reset | Fault::Truncated => &[Outcome::Transport, Outcome::Timeout],
    }
}

/// Whether the client may try again after `fault`, for a POST or not.
fn retryable(fault: Fault, post: bool) -> bool {
    match fault {
        Fault::LimitedWithHeader | Fault::LimitedBare => true,
        Fault::Status500 | Fault::Status503 | Fault::Reset | Fault::Slow | Fault::Truncated => {
            !post
        }
        Fault::Ok | Fault::Unknown | Fault::Status404 | Fault::Malformed => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousands_of_calls_under_random_faults() {
    let seed: u64 = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261122);
    let calls: usize = std::env::var("SOAK_CALLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let server = start(seed).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(POOL_IDLE_PER_HOST)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(&server.url)
        .token(common::TOKEN)
        .http_client(http)
        .timeout(TIMEOUT)
        .retry_policy(
            RetryPolicy::new()
                .max_retries(MAX_RETRIES)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(4)),
        )
        .build();

    let started = std::time::Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (client, next) = (client.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut done: Vec<(String, bool, Outcome)> = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= calls {
                    return done;
                }
                let id = format!("call-{n}");
                // One call in four is a search: a POST.
                let post = n % 4 == 3;
                let result = if post {
                    let body = models::SearchRequest::new(
                        models::SingleFilterSearchRequest::default()
                            .field("open")
                            .value(true),
                    )
                    .pagination(models::StartingAfterPaging::new(2).starting_after(id.clone()));
                    outcome(&client.conversations().search().body(body).send().await)
                } else {
                    outcome(
                        &client
                            .conversations()
                            .list()
                            .starting_after(id.clone())
                            .send()
                            .await,
                    )
                };
                done.push((id, post, result));
            }
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.extend(t.await.expect("a calling task panicked"));
    }
    let elapsed = started.elapsed();

    // A stream dropped after five items stops fetching: pages of two, so
    // three pages were needed, and no more are asked for.
    let items: Vec<models::ConversationListItem> = client
        .conversations()
        .list()
        .starting_after("stream-0")
        .items()
        .take(5)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 5);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let stream_requests = server.log.lock().unwrap().stream_requests;
    assert_eq!(stream_requests, 3, "a dropped stream kept fetching");

    // Each call against what the server injected.
    let attempts_by_call = server.log.lock().unwrap().attempts.clone();
    let mut faults: BTreeMap<Fault, usize> = BTreeMap::new();
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    for (id, post, got) in &results {
        *outcomes.entry(*got).or_default() += 1;
        let attempts = attempts_by_call.get(id).cloned().unwrap_or_default();
        for f in &attempts {
            *faults.entry(*f).or_default() += 1;
        }
        let Some(&last) = attempts.last() else {
            problems.push(format!(
                "{id}: the server saw no attempt, the call ended {got:?}"
            ));
            continue;
        };
        if attempts.len() > 1 + MAX_RETRIES as usize {
            problems.push(format!(
                "{id}: {} attempts, more than the policy allows: {attempts:?}",
                attempts.len()
            ));
        }
        for f in &attempts[..attempts.len() - 1] {
            if !retryable(*f, *post) {
                problems.push(format!(
                    "{id} (post: {post}): retried after {f:?}: {attempts:?}"
                ));
            }
        }
        // Gave up early on a status the policy retries.
        let status_fault = matches!(
            last,
            Fault::LimitedWithHeader | Fault::LimitedBare | Fault::Status500 | Fault::Status503
        );
        if status_fault && retryable(last, *post) && attempts.len() < 1 + MAX_RETRIES as usize {
            problems.push(format!(
                "{id} (post: {post}): gave up after {last:?} with retries left: {attempts:?}"
            ));
        }
        if !expected(last).contains(got) {
            problems.push(format!(
                "{id} (post: {post}): ended {got:?} after {attempts:?}"
            ));
        }
    }
    // Connections: the pool keeps at most its bound idle; the rest close.
    let mut open = server.open.load(Ordering::SeqCst);
    for _ in 0..50 {
        if open <= POOL_IDLE_PER_HOST {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = server.open.load(Ordering::SeqCst);
    }
    println!(
        "soak: {} calls in {:.1} s ({} tasks, seed {seed}); {} attempts; faults {:?}; outcomes {:?}; {} connections open at the end (pool bound {POOL_IDLE_PER_HOST})",
        results.len(),
        elapsed.as_secs_f64(),
        TASKS,
        faults.values().sum::<usize>(),
        faults,
        outcomes,
        open
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(open <= POOL_IDLE_PER_HOST, "{open} connections still open");
    assert_eq!(results.len(), calls);
}
