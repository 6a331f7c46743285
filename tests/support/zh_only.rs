//! The check of a Chinese error message: Chinese around every English run, and the only
//! English left is what is not ours to translate: the OS's (or a library's) quoted words, a flag,
//! a path, an address, a C call or constant, a command to type. No OS error code twice.

/// The parts of `text` that may stay English, taken out; what is left must have no Latin word.
pub fn english_left(text: &str) -> Vec<String> {
    let mut rest = String::new();
    let mut quoted = None::<char>;
    for c in text.chars() {
        match (quoted, c) {
            // “the OS's words”, "json_field", `a command`: data, not our sentences
            (None, '“') => quoted = Some('”'),
            (None, '"') => quoted = Some('"'),
            (None, '`') => quoted = Some('`'),
            // 'what the user typed', as the flag's error quotes it
            (None, '\'') => quoted = Some('\''),
            (Some(end), c) if c == end => {
                quoted = None;
                rest.push(' ');
            }
            (Some(_), _) => {}
            (None, c) => rest.push(c),
        }
    }
    // names that are the same in every language: protocols, formats, the program, C names,
    // and the field names typed after --link (`--link mtu=1500,rate=20mbit`)
    const NAMES: [&str; 19] = [
        "stickyviz",
        "serde_json",
        "JSON",
        "UTF-8",
        "gzip",
        "UDP",
        "TCP",
        "IPv4",
        "PNG",
        "SVG",
        "pcapng",
        "root",
        "lo",
        "AppArmor",
        "mtu",
        "rate",
        "queue",
        "delay",
        "loss",
    ];
    rest.split(|c: char| c.is_whitespace() || "：:，,（）；;。、".contains(c) || !c.is_ascii() && c != '.')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .filter(|w| {
            // a C call as written: bind(), setsockopt(SO_RCVBUF)
            let call = w.split_once('(').is_some_and(|(f, arg)| {
                !f.is_empty()
                    && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && arg
                        .strip_suffix(')')
                        .is_some_and(|a| a.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            });
            let w = if call { "" } else { w.trim_matches(['(', ')']) };
            if !w.chars().any(|c| c.is_ascii_alphabetic()) {
                return false;
            }
            let allowed = w.starts_with("--")
                || w.contains('/')
                || w.contains('=')
                || w.contains('_') && w.chars().all(|c| c.is_ascii_alphanumeric() || "._".contains(c))
                || w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                || w.contains('.') && !w.ends_with('.')
                || NAMES.contains(&w);
            !allowed
        })
        .map(str::to_string)
        .collect()
}

/// Asserts `text` (one error message, `--lang zh`) reads in Chinese as the module says.
pub fn assert_zh_only(what: &str, text: &str) {
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: no Chinese in {text:?}"
    );
    let left = english_left(text);
    assert!(
        left.is_empty(),
        "{what}: English outside the OS's quoted words: {left:?} in {text:?}"
    );
    for code in ["(os error", "错误码"] {
        assert!(text.matches(code).count() <= 1, "{what}: the OS error twice: {text:?}");
    }
    if let Some(i) = text.find('“') {
        let quoted = &text[i..text[i..].find('”').map_or(text.len(), |e| i + e)];
        assert_eq!(text.matches(quoted).count(), 1, "{what}: {quoted} twice in {text:?}");
    }
}

/// The checker itself must be able to fail (run by errors_zh.rs; gui_errors_zh.rs shares the
/// module without it).
#[allow(dead_code)]
pub fn self_test() {
    let ok = "错误: 无法创建 /x/y.json：“No such file or directory”（错误码 2）";
    assert!(english_left(ok).is_empty(), "{:?}", english_left(ok));
    let left = english_left("错误: cannot listen: bind listener: Address already in use (os error 98)");
    assert_eq!(left.len(), 10, "{left:?}");
    assert!(!english_left("无法打开 corrupt.json：not a stickyviz recording").is_empty());
    assert!(english_left("监听套接字绑定 127.0.0.1:7000 的 bind() 失败 --tcp SO_RCVBUF").is_empty());
    let twice = std::panic::catch_unwind(|| {
        assert_zh_only(
            "self",
            "无法写入 x：“No such file”（错误码 2）：“No such file”（错误码 2）",
        )
    });
    assert!(twice.is_err(), "an OS error twice is caught");
}
