//! `experiments serve`'s API as a script uses it: the server started on a free
//! port, spoken to over TCP. Its answers are `train --json`'s, bit for bit, plus
//! snapshots that are the exact weights of runs stopped there; its refusals are
//! the command line's own messages.

mod common;
mod serve_common;

use std::io::Write;
use std::net::TcpStream;

use serde_json::Value;
use serve_common::{Served, cli, read_answer, request};

/// The answer's text equals `train --json`'s object, byte for byte, with
/// `,"snapshots":[…]` added before its closing brace; returns the answer parsed.
#[track_caller]
fn same_as_train(answer: &(u16, String), train_args: &[&str]) -> Value {
    let (status, body) = answer;
    assert_eq!(*status, 200, "{body}");
    let mut args = vec!["train", "--json"];
    args.extend_from_slice(train_args);
    let train = cli(&args);
    let object = train.trim_end().strip_suffix('}').expect("a JSON object");
    assert!(body.starts_with(&format!("{object},\"snapshots\":[")), "{train_args:?}:\n{train}\n{body}");
    serde_json::from_str(body).expect("JSON")
}

/// The snapshots: `k` distinct iterations from 0 to N in order, the first the
/// initial weights, the last the final ones with the run's loss.
#[track_caller]
fn check_snapshots(v: &Value, k: usize) -> Vec<u64> {
    let snapshots = v["snapshots"].as_array().unwrap();
    let ts: Vec<u64> = snapshots.iter().map(|s| s["iteration"].as_u64().unwrap()).collect();
    assert!(ts.windows(2).all(|w| w[0] < w[1]) && ts.len() == k, "{ts:?}");
    assert_eq!((ts[0], ts[ts.len() - 1]), (0, v["iterations"].as_u64().unwrap()));
    assert_eq!(snapshots[0]["layers"], v["initial_layers"]);
    let end = &snapshots[snapshots.len() - 1];
    assert_eq!((&end["layers"], &end["loss"]), (&v["layers"], &v["loss"]));
    ts
}

#[test]
fn the_notebook_run_is_train_json_bit_for_bit() {
    let served = Served::start();
    let v = same_as_train(&served.get("/api/train"), &[]);
    // print(sigmoid(np.sum(weights*input_new)))  ->  0.9999877412862083  (the notebook's last cell)
    assert_eq!(v["prediction"].as_f64(), Some(0.999_987_741_286_208_3));
    check_snapshots(&v, 100);
    // The notebook's targets are 0, 1, 1, 0 and its final outputs are printed by train: the largest |y − o|.
    let outputs: Vec<f64> = v["outputs"].as_array().unwrap().iter().map(|o| o.as_f64().unwrap()).collect();
    let largest = [0.0, 1.0, 1.0, 0.0].iter().zip(&outputs).map(|(y, o)| (y - o).abs()).fold(0.0, f64::max);
    assert_eq!(v["snapshots"][99]["largest_error"].as_f64(), Some(largest));
}

#[test]
fn xor_with_four_hidden_units_and_snapshots_that_are_runs_stopped_there() {
    let served = Served::start();
    let query = "/api/train?data=xor&hidden=4&seed=65&iterations=20000&learning_rate=0.5&predict=0,1,1&snapshots=12";
    // The query's run as `train` flags, for `iterations` steps.
    let flags = |iterations: &str| {
        let run = ["--data", "xor", "--hidden", "4", "--seed", "65", "--learning-rate", "0.5"];
        [&run[..], &["--iterations", iterations, "--predict", "0,1,1"]]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<String>>()
    };
    let all = flags("20000");
    let v = same_as_train(&served.get(query), &all.iter().map(String::as_str).collect::<Vec<_>>());
    let ts = check_snapshots(&v, 12);
    for (k, t) in ts.iter().enumerate().skip(1).step_by(3) {
        let t = t.to_string();
        let args: Vec<String> = ["train", "--json"].iter().map(|s| s.to_string()).chain(flags(&t)).collect();
        let straight: Value = serde_json::from_str(&cli(&args.iter().map(String::as_str).collect::<Vec<_>>())).unwrap();
        let snapshot = &v["snapshots"][k];
        assert_eq!((&snapshot["layers"], &snapshot["loss"]), (&straight["layers"], &straight["loss"]), "at {t}");
    }
    // Two snapshots are the two ends.
    let ends: Value =
        serde_json::from_str(&served.get("/api/train?data=xor&hidden=4&iterations=300&snapshots=2").1).unwrap();
    assert_eq!(check_snapshots(&ends, 2), [0, 300]);
}

#[test]
fn a_custom_table_trains_as_the_same_table_in_a_csv_file() {
    let served = Served::start();
    let dir = common::scratch("serve-table");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("table.csv");
    std::fs::write(&file, "x1,x2,x3,y\n0,0,1,0.25\n1,1,1,1\n0.5,-1.5,1,0.75\n2,0,1,0\n").unwrap();
    let body = r#"{"rows": [[0,0,1,0.25],[1,1,1,1],[0.5,-1.5,1,0.75],[2,0,1,0]], "hidden": 3, "seed": 7,
        "iterations": 3000, "learning_rate": "2", "remove_rows": [1], "predict": [0.5, 0.5, 1], "snapshots": 20}"#;
    let (status, answer) = served.post("/api/train", body.as_bytes());
    assert_eq!(status, 200, "{answer}");
    let mut v: Value = serde_json::from_str(&answer).unwrap();
    check_snapshots(&v, 20);
    let path = file.to_str().unwrap();
    let args = ["train", "--json", "--data", path, "--hidden", "3", "--seed", "7", "--iterations", "3000"];
    let mut train: Value = serde_json::from_str(&cli(&[
        &args[..],
        &["--learning-rate", "2", "--remove-rows", "1", "--predict", "0.5,0.5,1"],
    ]
    .concat()))
    .unwrap();
    assert_eq!((v["data"].as_str(), train["data"].as_str()), (Some("table"), Some(path)));
    v.as_object_mut().unwrap().remove("snapshots");
    for o in [&mut v, &mut train] {
        o.as_object_mut().unwrap().remove("data");
    }
    assert_eq!(v, train);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every parameter refused as the command line refuses its flag: 400, and the
/// CLI's one line (without `error: `) as `{"error": …}`.
#[test]
fn bad_input_of_every_parameter_is_the_cli_message() {
    let served = Served::start();
    let cases: [(&str, &[&str]); 10] = [
        ("data=XOR", &["--data", "XOR"]),
        ("hidden=0", &["--hidden", "0"]),
        ("hidden=two", &["--hidden", "two"]),
        ("seed=-1", &["--seed", "-1"]),
        ("iterations=1e3", &["--iterations", "1e3"]),
        ("learning_rate=0", &["--learning-rate", "0"]),
        ("remove_rows=1,1", &["--remove-rows", "1,1"]),
        ("remove_rows=4", &["--remove-rows", "4"]),
        ("remove_rows=0,1,2,3", &["--remove-rows", "0,1,2,3"]),
        ("predict=1,2", &["--predict", "1,2"]),
    ];
    for (query, flags) in cases {
        let (status, body) = served.get(&format!("/api/train?{query}"));
        let out = common::run(&[&["train"], flags].concat());
        let line = common::one_line(&out, 2, &[]);
        let message = line.trim_end().strip_prefix("error: ").unwrap();
        assert_eq!((status, body), (400, serde_json::json!({ "error": message }).to_string()), "{query}");
    }
    // The server's own bounds and inputs: 400 and a line naming what is accepted.
    let own = [
        ("/api/train?iterations=1000001", "the server trains at most 1000000 iterations per request"),
        ("/api/train?hidden=9", "the server trains at most 8 hidden units"),
        ("/api/train?snapshots=1", "for 'snapshots': expected a whole number in 2..=1000"),
        ("/api/train?snapshots=1001", "expected a whole number in 2..=1000"),
        ("/api/train?snapshots=5&snapshots=6", "'snapshots' cannot be used multiple times"),
        ("/api/train?colour=red", "unknown parameter 'colour'; expected data, hidden, seed,"),
        ("/api/train?data=/etc/passwd.csv", "the server reads no files; expected one of false, and,"),
        ("/api/train?seed=%zz", "a '%' not followed by two hex digits"),
    ];
    for (path, needle) in own {
        let (status, body) = served.get(path);
        let message = serde_json::from_str::<Value>(&body).unwrap()["error"].as_str().unwrap().to_owned();
        assert!(status == 400 && message.contains(needle) && !message.contains('\n'), "{path}: {status} {body}");
    }
    let posts: [(&str, &str); 6] = [
        ("[1, 2]", "the body is not a JSON object; expected a JSON object such as {\"rows\""),
        ("{\"rows\": [[0, 0, 1]]}", "rows[0]: expected an array of 1 to 16 rows [x1, x2, x3, y]"),
        ("{\"rows\": [[0, 0, 1, 2]]}", "rows: row 0, y: expected a target in [0, 1], got 2"),
        ("{\"rows\": []}", "rows: a data set needs at least one row, got none"),
        (
            "{\"rows\": [[0, 0, 1, 1]], \"data\": \"x1\"}",
            "give either data (a function's name) or rows (a table), not both",
        ),
        ("{\"seed\": true}", "field 'seed': expected a number, a string or an array of numbers"),
    ];
    for (body, needle) in posts {
        let (status, answer) = served.post("/api/train", body.as_bytes());
        let message = serde_json::from_str::<Value>(&answer).unwrap()["error"].as_str().unwrap().to_owned();
        assert!(status == 400 && message.contains(needle), "{body}: {status} {answer}");
    }
    let seventeen = format!("{{\"rows\": [{}]}}", vec!["[0, 0, 1, 1]"; 17].join(","));
    let (status, answer) = served.post("/api/train", seventeen.as_bytes());
    assert!(status == 400 && answer.contains("rows: 17 rows; expected an array of 1 to 16 rows"), "{answer}");
}

/// The on/off field: `output_bias=true` in a query and `"output_bias": true`
/// in JSON are `train --output-bias`, bit for bit; `false` is the flag left
/// out; any other value is refused with one line naming `true or false`, and
/// a bias without hidden units with the command line's own line.
#[test]
fn the_output_bias_is_the_flag() {
    let served = Served::start();
    let flags = ["--data", "xor", "--hidden", "2", "--seed", "3", "--iterations", "2000", "--output-bias"];
    let v = same_as_train(&served.get("/api/train?data=xor&hidden=2&seed=3&iterations=2000&output_bias=true"), &flags);
    // `layers`: W1 [3, 2], W2 [2, 1], and b2 as a third matrix [1, 1].
    let shapes: Vec<(usize, usize)> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m.as_array().unwrap().len(), m[0].as_array().unwrap().len()))
        .collect();
    assert_eq!(shapes, [(3, 2), (2, 1), (1, 1)]);
    assert_eq!((v["output_bias"].as_bool(), v["model"].as_str()), (Some(true), Some("two-layer H=2 with bias")));
    check_snapshots(&v, 100);
    let body = r#"{"data": "xor", "hidden": 2, "seed": 3, "iterations": 2000, "output_bias": true}"#;
    same_as_train(&served.post("/api/train", body.as_bytes()), &flags);
    let off = same_as_train(
        &served.get("/api/train?data=xor&hidden=2&output_bias=false"),
        &["--data", "xor", "--hidden", "2"],
    );
    assert_eq!(off["output_bias"].as_bool(), Some(false));
    let accepted = "expected true or false (as --output-bias is given or not)";
    let error = |(status, body): (u16, String)| {
        assert_eq!(status, 400, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["error"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        error(served.get("/api/train?hidden=2&output_bias=yes")),
        format!("invalid value 'yes' for 'output_bias': {accepted}")
    );
    assert_eq!(
        error(served.post("/api/train", br#"{"hidden": 2, "output_bias": 1}"#)),
        format!("invalid value '1' for 'output_bias': {accepted}")
    );
    assert_eq!(
        error(served.post("/api/train", br#"{"hidden": 2, "output_bias": [true]}"#)),
        format!("field 'output_bias': {accepted}")
    );
    // Without hidden units: the core's refusal, the command line's line.
    let line = common::one_line(
        &common::run(&["train", "--output-bias"]),
        2,
        &["--output-bias needs --hidden H: the one-layer model's bias is already its constant third input x3"],
    );
    let cli = line.trim_end().strip_prefix("error: ").unwrap();
    assert_eq!(error(served.get("/api/train?output_bias=true")), cli);
    assert_eq!(error(served.post("/api/train", br#"{"output_bias": true}"#)), cli);
}

/// `/api/notebook.py` with `/api/train`'s query is `train --numpy` with the
/// same flags, byte for byte, as a download named `notebook.py`; a JSON body
/// with a table gives the script of that table; bad input is refused as
/// `/api/train` refuses it.
#[test]
fn the_notebook_download_is_train_numpy() {
    use std::io::Read;
    let served = Served::start();
    let query =
        "data=xor&hidden=2&seed=3&iterations=2000&learning_rate=0.5&remove_rows=1&predict=1,0,1&output_bias=true";
    let mut stream = TcpStream::connect(&served.address).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let head =
        format!("GET /api/notebook.py?{query} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", served.address);
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/x-python; charset=utf-8"), "{head}");
    assert!(head.contains("content-disposition: attachment; filename=\"notebook.py\""), "{head}");
    let flags = ["--data", "xor", "--hidden", "2", "--seed", "3", "--iterations", "2000", "--learning-rate", "0.5"];
    let numpy =
        cli(&[&["train", "--numpy"], &flags[..], &["--remove-rows", "1", "--predict", "1,0,1", "--output-bias"]]
            .concat());
    assert_eq!(body, numpy);
    // A table of the request's own: its rows in the script.
    let (status, script) =
        served.post("/api/notebook.py", br#"{"rows": [[0, 0, 1, 0.25], [1, 1, 1, 1]], "hidden": 2, "seed": 7}"#);
    assert_eq!(status, 200, "{script}");
    assert!(script.contains("SEED = 7") && script.contains("HIDDEN = 2") && script.contains("0.25"), "{script}");
    // Refused as /api/train refuses.
    for bad in ["seed=-1", "hidden=9", "output_bias=yes", "output_bias=true"] {
        let notebook = served.get(&format!("/api/notebook.py?{bad}"));
        assert_eq!(notebook.0, 400, "{bad}");
        assert_eq!(notebook, served.get(&format!("/api/train?{bad}")), "{bad}");
    }
}

#[test]
fn unknown_paths_methods_and_large_bodies() {
    let served = Served::start();
    let (status, body) = served.get("/nowhere");
    assert_eq!(
        (status, body.as_str()),
        (
            404,
            r#"{"error":"no such path '/nowhere'; expected /, /api/train, /api/notebook.py, /api/functions or /api/limits"}"#
        )
    );
    let (status, body) = request(&served.address, "DELETE", "/api/train", b"");
    assert!(status == 405 && body.contains("method DELETE is not allowed on /api/train"), "{body}");
    let large = vec![b' '; 64 * 1024 + 1];
    let (status, body) = served.post("/api/train", &large);
    assert!(status == 413 && body.contains("the body is larger than 65536 bytes"), "{status} {body}");
    // Exactly the limit is read (and refused only as not JSON).
    let (status, _) = served.post("/api/train", &large[1..]);
    assert_eq!(status, 400);
    // The page and its assets are served from the binary.
    for (path, needle) in [
        ("/", "<script src=\"/app.js\">"),
        ("/app.js", "/api/train"),
        ("/views.js", "function drawSurface"),
        ("/style.css", "body {"),
    ] {
        let (status, body) = served.get(path);
        assert!(status == 200 && body.contains(needle), "{path}");
    }
    let functions: Value = serde_json::from_str(&served.get("/api/functions").1).unwrap();
    // xor on the notebook's rows (0,0), (1,1), (1,0), (0,1): targets 0, 0, 1, 1.
    let xor = functions["functions"].as_array().unwrap().iter().find(|f| f["name"] == "xor").unwrap();
    assert_eq!(
        xor["rows"],
        serde_json::json!([[0.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 1.0]])
    );
}

/// Three POSTs whose bodies have not arrived are open, and a fourth request
/// is still answered; then each of the three, completed, gets its own run.
/// (tiny_http, before hyper, answered with four worker threads, which three
/// such requests held.)
#[track_caller]
fn unfinished_bodies_hold_up_no_one(served: &Served) {
    let bodies: Vec<String> = (0..3)
        .map(|s| format!("{{\"data\": \"or\", \"seed\": {s}, \"iterations\": 5000}}{}", " ".repeat(2000)))
        .collect();
    let mut held: Vec<TcpStream> = bodies
        .iter()
        .map(|body| {
            let mut stream = TcpStream::connect(&served.address).unwrap();
            let head = format!(
                "POST /api/train HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                served.address,
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&body.as_bytes()[..5]).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    same_as_train(&served.get("/api/train?data=and&seed=3"), &["--data", "and", "--seed", "3"]);
    for (stream, body) in held.iter_mut().zip(&bodies) {
        stream.write_all(&body.as_bytes()[5..]).unwrap();
    }
    for (s, stream) in held.iter_mut().enumerate() {
        let answer = read_answer(stream);
        same_as_train(&answer, &["--data", "or", "--seed", &s.to_string(), "--iterations", "5000"]);
    }
}

#[test]
fn several_requests_at_once() {
    let served = Served::start();
    unfinished_bodies_hold_up_no_one(&served);
    // And eight at once from eight threads, each its own run.
    std::thread::scope(|scope| {
        for seed in 10..18 {
            let served = &served;
            scope.spawn(move || {
                let answer = served.get(&format!("/api/train?data=nand&hidden=2&seed={seed}"));
                same_as_train(&answer, &["--data", "nand", "--hidden", "2", "--seed", &seed.to_string()]);
            });
        }
    });
}

/// Four stalled clients (each sends a request's head and the start of a body,
/// then nothing) hold up no other request, and each is answered 408 at the
/// request's deadline (`serve::REQUEST_DEADLINE`, 10 s from its first byte).
/// Before hyper, they held tiny_http's four workers until a 5 s limit on each
/// read; and before that, for ever.
#[test]
fn stalled_clients_hold_up_no_one_and_get_408_at_the_deadline() {
    let served = Served::start();
    let started = std::time::Instant::now();
    let mut stalled: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(&served.address).unwrap();
            let head = format!(
                "POST /api/train HTTP/1.1\r\nHost: {}\r\nContent-Length: 4000\r\n\r\n{{\"data\"",
                served.address
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let asked = std::time::Instant::now();
    let mut next = TcpStream::connect(&served.address).unwrap();
    next.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let get = format!("GET /api/train?iterations=10 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", served.address);
    next.write_all(get.as_bytes()).unwrap();
    assert_eq!(read_answer(&mut next).0, 200);
    assert!(asked.elapsed() < std::time::Duration::from_secs(2), "answered after {:?}", asked.elapsed());
    for stream in &mut stalled {
        let (status, body) = read_answer(stream);
        assert!(status == 408 && body.contains("not complete within 10 s of its first byte"), "{status} {body}");
    }
    // 10 s from each request's first byte, and a poll's slack.
    let waited = started.elapsed();
    assert!((10.0..12.0).contains(&waited.as_secs_f64()), "the 408s came after {waited:?}");
}

#[test]
fn a_port_in_use_is_one_line_and_exit_1() {
    let served = Served::start();
    let port = served.address.rsplit(':').next().unwrap();
    let out = common::run(&["serve", "--port", port]);
    common::one_line(&out, 1, &[&format!("cannot listen on 127.0.0.1:{port}"), "--port 0 for a free one"]);
    common::refused(&["serve", "--port", "65536"], 2, &["expected a port number in 0..=65535"]);
    common::refused(&["serve", "--host", "localhost"], 2, &["expected an IP address, e.g. 127.0.0.1"]);
}

#[test]
fn sigint_and_sigterm_stop_the_server() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let served = Served::start();
        assert_eq!(served.get("/api/train?iterations=10").0, 200);
        assert_eq!(served.stop(signal), Some(code), "SIG{signal}");
    }
}

/// Odd input is answered (200 or 400, a JSON object), and no worker is lost on it.
#[test]
fn odd_input_leaves_every_worker_alive() {
    let served = Served::start();
    let queries = [
        "",
        "&&&",
        "=",
        "data",
        "data=",
        "hidden=",
        "seed=%20",
        "seed=4294967296",
        "iterations=-0",
        "learning_rate=nan",
        "learning_rate=inf",
        "learning_rate=1e308&iterations=100",
        "learning_rate=-0",
        "predict=1e308,1e308,1e308",
        "predict=%E2%80%94",
        "remove_rows=",
        "remove_rows=,",
        "remove_rows=18446744073709551616",
        "snapshots=0",
        "snapshots=%FF",
        "data=%C3%A9.csv",
        "hidden=8&iterations=0&snapshots=1000",
        "x=%00",
        "data=xor&data=and",
    ];
    for query in queries {
        let (status, body) = served.get(&format!("/api/train?{query}"));
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{query}: {body}"));
        assert!(status == 200 || (status == 400 && v["error"].is_string()), "{query}: {status} {body}");
    }
    for body in ["", "{", "null", "{\"rows\": null}", "{\"rows\": [[1e400, 0, 1, 0]]}", "{\"predict\": [[1]]}"] {
        let (status, answer) = served.post("/api/train", body.as_bytes());
        assert!(status == 400 && answer.starts_with("{\"error\":"), "{body}: {status} {answer}");
    }
    unfinished_bodies_hold_up_no_one(&served);
}
