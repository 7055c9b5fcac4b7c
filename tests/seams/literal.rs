//! A minimal JSON reader that keeps every number as its literal text, written here so the
//! oracle does not share a single line with serde_json: the tests compare what the crate
//! loads with `str::parse::<f64>` of these literals.

/// A JSON value whose numbers are their literal text.
#[derive(Debug, Clone)]
pub enum Json {
    Null,
    Bool,
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Json] {
        match self {
            Json::Arr(items) => items,
            _ => &[],
        }
    }

    pub fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number literals of a nest of coordinate arrays, as `[lon, lat]` literal pairs.
    pub fn positions(&self) -> Vec<[String; 2]> {
        let mut out = Vec::new();
        self.collect_positions(&mut out);
        out
    }

    fn collect_positions(&self, out: &mut Vec<[String; 2]>) {
        if let Json::Arr(items) = self {
            match items.as_slice() {
                [Json::Num(lon), Json::Num(lat)] => out.push([lon.clone(), lat.clone()]),
                _ => items.iter().for_each(|i| i.collect_positions(out)),
            }
        }
    }
}

/// Parses JSON text (assumed well formed; panics otherwise, this is a test oracle).
pub fn parse(text: &str) -> Json {
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
    };
    let v = p.value();
    p.ws();
    assert_eq!(p.i, p.b.len(), "trailing text");
    v
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) {
        self.ws();
        assert_eq!(self.b[self.i], c, "at byte {}", self.i);
        self.i += 1;
    }

    fn value(&mut self) -> Json {
        self.ws();
        match self.b[self.i] {
            b'{' => {
                self.i += 1;
                let mut fields = Vec::new();
                self.ws();
                if self.b[self.i] == b'}' {
                    self.i += 1;
                    return Json::Obj(fields);
                }
                loop {
                    self.ws();
                    let key = self.string();
                    self.eat(b':');
                    fields.push((key, self.value()));
                    self.ws();
                    self.i += 1;
                    if self.b[self.i - 1] == b'}' {
                        return Json::Obj(fields);
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b[self.i] == b']' {
                    self.i += 1;
                    return Json::Arr(items);
                }
                loop {
                    items.push(self.value());
                    self.ws();
                    self.i += 1;
                    if self.b[self.i - 1] == b']' {
                        return Json::Arr(items);
                    }
                }
            }
            b'"' => Json::Str(self.string()),
            b't' => {
                self.i += 4;
                Json::Bool
            }
            b'f' => {
                self.i += 5;
                Json::Bool
            }
            b'n' => {
                self.i += 4;
                Json::Null
            }
            _ => {
                let start = self.i;
                while self.i < self.b.len()
                    && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    self.i += 1;
                }
                Json::Num(String::from_utf8(self.b[start..self.i].to_vec()).unwrap())
            }
        }
    }

    /// A string; escapes other than `\"` and `\\` are kept as written (ids and keys in the
    /// fixtures are plain ASCII).
    fn string(&mut self) -> String {
        self.eat(b'"');
        let mut out = Vec::new();
        while self.b[self.i] != b'"' {
            if self.b[self.i] == b'\\' {
                self.i += 1;
                if !matches!(self.b[self.i], b'"' | b'\\') {
                    out.push(b'\\');
                }
            }
            out.push(self.b[self.i]);
            self.i += 1;
        }
        self.i += 1;
        String::from_utf8(out).unwrap()
    }
}
