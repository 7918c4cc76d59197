;; The hot paths of access-log parsing as WebAssembly, over the bytes of an ASCII line:
;;   - `layoutText`: the TEXT tokenizer of text-layout.ts, the same function (SIMD search instead of one
;;     `indexOf` call per token); a test checks the two agree on every kind of line.
;;   - `readLean`: the summary's lean TEXT reader (lean-record.ts): the few fields a flow summary reads, for
;;     the common record only, with the strings it keys on interned; anything else is refused, and then
;;     takes the full parser.
;;   - `scanJson`: the JSON scanner of scan-json.ts, for flat records without backslashes.
;; On the benchmark machine these run ~3-5x faster than the same work in JavaScript, where a call to
;; `indexOf` or `Map.get` with a fresh string costs 15-200 ns. Built into `kernel-wasm.ts` by
;; `npm run build:wasm`; a test checks that the committed bytes are this file's.
;;
;; Memory (offsets in bytes), shared with JavaScript through typed-array views (kernel.ts):
;;   0 .. 256    STARTS  i32 × 64   token starts (inclusive)
;;   256 .. 512  ENDS    i32 × 64   token ends (exclusive)
;;   512 .. 576  QUOTED  u8 × 64    1 when the token was quoted
;;   576 .. 596  LAYOUT  i32 × 5    close, reqStart, reqEnd, count, run (see `layout` in text-layout.ts)
;;   640 .. 768  LEAN    i32 × 32   what `readLean` read (slots below)
;;   768 .. 800  LEAN_F  f64 × 4    time key (epoch ms), bytes received, bytes sent, duration (-1: unset)
;;   1024 ..     LINE    the line's bytes; offsets below are relative to LINE (the `offset=1024` of loads)
;;   0x110000 .. CHUNK   a chunk of lines, copied to LINE one at a time by `readLeanAt`
;;   0x211000 .. SLOTS   i32 × 16384  the intern table: id + 1 of the string hashed there, 0 for none
;;   0x221000 .. ENTRIES 16 B × 8192  per id: hash, kind, offset in ARENA, length
;;   0x241000 .. ARENA   1 MiB        the interned strings' bytes
;;   0x341000 .. JSON    the JSON scan (see "JSON" below)
;; The caller writes at most LINE_CAPACITY bytes to each, so 16-byte loads past the end stay in memory.
(module
  (memory (export "memory") 53)

  (global $MAX_TOKENS i32 (i32.const 64))
  (global $LAID_OUT i32 (i32.const 0))
  (global $NOT_ACCESS_LOG i32 (i32.const 1))
  (global $MALFORMED i32 (i32.const 2))

  ;; Byte `i` of the line, or 0 past its end (where JavaScript's charCodeAt gives NaN: equal to nothing).
  (func $at (param $i i32) (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $i) (local.get $n))
      (then (i32.load8_u offset=1024 (local.get $i)))
      (else (i32.const 0))))

  ;; The first `c` in line[i, n), or -1: `indexOf`, 16 bytes at a time.
  (func $find (param $c i32) (param $i i32) (param $n i32) (result i32)
    (local $pattern v128)
    (local $mask i32)
    (if (i32.lt_s (local.get $i) (i32.const 0)) (then (local.set $i (i32.const 0))))
    (local.set $pattern (i8x16.splat (local.get $c)))
    (block $missing
      (loop $next
        (br_if $missing (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $mask
          (i8x16.bitmask (i8x16.eq (v128.load offset=1024 align=1 (local.get $i)) (local.get $pattern))))
        (if (local.get $mask)
          (then
            (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $mask))))
            ;; A match past the end is in whatever follows the line: not found.
            (return (select (local.get $i) (i32.const -1) (i32.lt_s (local.get $i) (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (i32.const -1))

  ;; The `"` closing a quoted token: the first one followed by a space or the end of the line.
  (func $closingQuote (param $from i32) (param $n i32) (result i32)
    (local $j i32)
    (local.set $j (call $find (i32.const 34) (local.get $from) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.lt_s (local.get $j) (i32.const 0)))
        (br_if $done (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $n)))
        (br_if $done (i32.eq (i32.load8_u offset=1025 (local.get $j)) (i32.const 32)))
        (local.set $j (call $find (i32.const 34) (i32.add (local.get $j) (i32.const 1)) (local.get $n)))
        (br $next)))
    (local.get $j))

  ;; QUOTED as bits (bit k: token k was quoted), for the shape checks of `layoutText`.
  (global $quotedBits (mut i64) (i64.const 0))

  ;; Splits line[from, n) on spaces outside quotes into STARTS/ENDS/QUOTED; the count, or -1 if malformed.
  (func $tokenize (param $i i32) (param $n i32) (result i32)
    (local $count i32)
    (local $c i32)
    (local $j i32)
    (global.set $quotedBits (i64.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u offset=1024 (local.get $i)))
        (if (i32.eq (local.get $c) (i32.const 32))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (if (i32.eq (local.get $count) (global.get $MAX_TOKENS)) (then (return (i32.const -1))))
        (if (i32.eq (local.get $c) (i32.const 34))
          (then
            (local.set $j (call $closingQuote (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
            (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))
            (i32.store (i32.shl (local.get $count) (i32.const 2)) (i32.add (local.get $i) (i32.const 1)))
            (i32.store offset=256 (i32.shl (local.get $count) (i32.const 2)) (local.get $j))
            (i32.store8 offset=512 (local.get $count) (i32.const 1))
            (global.set $quotedBits
              (i64.or (global.get $quotedBits) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $count)))))
            (local.set $i (i32.add (local.get $j) (i32.const 1))))
          (else
            (local.set $j (call $find (i32.const 32) (local.get $i) (local.get $n)))
            (if (i32.lt_s (local.get $j) (i32.const 0)) (then (local.set $j (local.get $n))))
            (i32.store (i32.shl (local.get $count) (i32.const 2)) (local.get $i))
            (i32.store offset=256 (i32.shl (local.get $count) (i32.const 2)) (local.get $j))
            (i32.store8 offset=512 (local.get $count) (i32.const 0))
            (local.set $i (local.get $j))))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $count))

  ;; Whether token k is 1 to 15 digits (`intAt` is not null).
  (func $isInt (param $k i32) (result i32)
    (local $i i32)
    (local $end i32)
    (local.set $i (i32.load (i32.shl (local.get $k) (i32.const 2))))
    (local.set $end (i32.load offset=256 (i32.shl (local.get $k) (i32.const 2))))
    (if (i32.or
          (i32.eq (local.get $end) (local.get $i))
          (i32.gt_s (i32.sub (local.get $end) (local.get $i)) (i32.const 15)))
      (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (if (i32.gt_u (i32.sub (i32.load8_u offset=1024 (local.get $i)) (i32.const 48)) (i32.const 9))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; Whether token k is exactly `-`.
  (func $isDash (param $k i32) (result i32)
    (local $start i32)
    (local.set $start (i32.load (i32.shl (local.get $k) (i32.const 2))))
    (i32.and
      (i32.eq (i32.sub (i32.load offset=256 (i32.shl (local.get $k) (i32.const 2))) (local.get $start)) (i32.const 1))
      (i32.eq (i32.load8_u offset=1024 (local.get $start)) (i32.const 45))))

  ;; Whether token k is exactly `-` or an integer.
  (func $isIntOrDash (param $k i32) (result i32)
    (if (result i32) (call $isDash (local.get $k))
      (then (i32.const 1))
      (else (call $isInt (local.get $k)))))

  ;; `layoutText` of text-layout.ts over line[0, n): LAID_OUT (with LAYOUT and the tokens written),
  ;; NOT_ACCESS_LOG or MALFORMED.
  (func $layoutText (export "layoutText") (param $n i32) (result i32)
    (local $close i32)
    (local $reqEnd i32)
    (local $count i32)
    (local $k i32)
    (local $run i32)
    (if (i32.ne (call $at (i32.const 0) (local.get $n)) (i32.const 91)) (then (return (global.get $NOT_ACCESS_LOG))))
    (local.set $close (call $find (i32.const 93) (i32.const 1) (local.get $n)))
    (if (i32.or (i32.lt_s (local.get $close) (i32.const 11)) (i32.gt_s (local.get $close) (i32.const 64)))
      (then (return (global.get $NOT_ACCESS_LOG))))
    (if (i32.or
          (i32.ne (call $at (i32.add (local.get $close) (i32.const 1)) (local.get $n)) (i32.const 32))
          (i32.ne (call $at (i32.add (local.get $close) (i32.const 2)) (local.get $n)) (i32.const 34)))
      (then (return (global.get $NOT_ACCESS_LOG))))
    (if (i32.ne (call $at (i32.const 11) (local.get $n)) (i32.const 84))
      (then (return (global.get $NOT_ACCESS_LOG))))

    (local.set $reqEnd (call $closingQuote (i32.add (local.get $close) (i32.const 3)) (local.get $n)))
    (if (i32.lt_s (local.get $reqEnd) (i32.const 0)) (then (return (global.get $MALFORMED))))
    (local.set $count (call $tokenize (i32.add (local.get $reqEnd) (i32.const 1)) (local.get $n)))
    (if (i32.lt_s (local.get $count) (i32.const 0)) (then (return (global.get $MALFORMED))))

    ;; The run of five quoted tokens preceded by four unquoted numbers.
    (local.set $run (i32.const -1))
    (local.set $k (i32.const 6))
    (block $found
      (loop $next
        (br_if $found (i32.gt_s (i32.add (local.get $k) (i32.const 5)) (local.get $count)))
        ;; Bits k-4 .. k+4: four unquoted, then five quoted.
        (if (i64.eq
              (i64.and
                (i64.shr_u (global.get $quotedBits) (i64.extend_i32_u (i32.sub (local.get $k) (i32.const 4))))
                (i64.const 0x1ff))
              (i64.const 0x1f0))
          (then
            (local.set $run (local.get $k))
            (br $found)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (if (i32.lt_s (local.get $run) (i32.const 0)) (then (return (global.get $MALFORMED))))
    (if (i64.ne (i64.and (global.get $quotedBits) (i64.const 3)) (i64.const 0)) (then (return (global.get $MALFORMED))))
    (if (i32.eqz (call $isInt (i32.const 0))) (then (return (global.get $MALFORMED))))
    (if (i32.eqz (i32.and
          (call $isIntOrDash (i32.sub (local.get $run) (i32.const 4)))
          (i32.and (call $isIntOrDash (i32.sub (local.get $run) (i32.const 3)))
                   (call $isIntOrDash (i32.sub (local.get $run) (i32.const 2))))))
      (then (return (global.get $MALFORMED))))

    (i32.store offset=576 (i32.const 0) (local.get $close))
    (i32.store offset=580 (i32.const 0) (i32.add (local.get $close) (i32.const 3)))
    (i32.store offset=584 (i32.const 0) (local.get $reqEnd))
    (i32.store offset=588 (i32.const 0) (local.get $count))
    (i32.store offset=592 (i32.const 0) (local.get $run))
    (global.get $LAID_OUT))

  ;; ---- The lean reader -----------------------------------------------------------------------------
  ;; LEAN slots (i32 index × 4 + 640): 0 direction (0 inbound, 1 outbound), 1 response code,
  ;; 2 method (index in METHODS of kernel.ts, 0 for TCP, -1 for another method), 3-4 method,
  ;; 5-6 path, 7-8 cluster, 9-10 downstream remote address (inbound), 11-12 X-Forwarded-For,
  ;; 13-14 request id (start, end pairs, line offsets); interned ids (-1: not interned): 15 cluster
  ;; (outbound), 16 remote host (inbound), 17 path, 19 X-Forwarded-For (inbound from port 0); 18 the
  ;; intern epoch (see `$intern`).
  ;; Slots are written with constant offsets (`offset=640 + 4 × slot`): V8 does not inline small wasm
  ;; functions, and a call per field cost more than the field.

  ;; Token k as a number (it was checked to be an integer or `-`); -1 for `-`.
  (func $intOrUnset (param $k i32) (result f64)
    (local $i i32)
    (local $end i32)
    (local $value f64)
    (local.set $i (i32.load (i32.shl (local.get $k) (i32.const 2))))
    (local.set $end (i32.load offset=256 (i32.shl (local.get $k) (i32.const 2))))
    (if (i32.eq (i32.load8_u offset=1024 (local.get $i)) (i32.const 45)) (then (return (f64.const -1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $value
          (f64.add
            (f64.mul (local.get $value) (f64.const 10))
            (f64.convert_i32_u (i32.sub (i32.load8_u offset=1024 (local.get $i)) (i32.const 48)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $value))

  ;; The two digits at line[i], or -100000 when either is not a digit (out of every range checked below).
  (func $twoDigits (param $i i32) (result i32)
    (local $a i32)
    (local $b i32)
    (local.set $a (i32.sub (i32.load8_u offset=1024 (local.get $i)) (i32.const 48)))
    (local.set $b (i32.sub (i32.load8_u offset=1025 (local.get $i)) (i32.const 48)))
    (if (result i32) (i32.and (i32.le_u (local.get $a) (i32.const 9)) (i32.le_u (local.get $b) (i32.const 9)))
      (then (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b)))
      (else (i32.const -100000))))

  ;; The digit at line[i], or -100000 when it is not one.
  (func $digit (param $i i32) (result i32)
    (local $d i32)
    (local.set $d (i32.sub (i32.load8_u offset=1024 (local.get $i)) (i32.const 48)))
    (select (local.get $d) (i32.const -100000) (i32.le_u (local.get $d) (i32.const 9))))

  ;; Epoch ms of the canonical `YYYY-MM-DDTHH:MM:SS.mmmZ` at line[at, at + 24), as `timeKeyAt`
  ;; (analysis/time-key) reads it; NaN for anything it would hand to Date.parse or read as NaN (then the
  ;; full parser decides).
  (func $computeTimeKey (param $at i32) (result f64)
    (local $year i32)
    (local $month i32)
    (local $day i32)
    (local $hours i32)
    (local $minutes i32)
    (local $secs i32)
    (local $millis i32)
    (local $y f64)
    (local $era f64)
    (local $yoe f64)
    (local $doy f64)
    (local $doe f64)
    (local.set $year (i32.add (i32.mul (call $twoDigits (i32.add (local.get $at) (i32.const 0))) (i32.const 100)) (call $twoDigits (i32.add (local.get $at) (i32.const 2)))))
    (local.set $month (call $twoDigits (i32.add (local.get $at) (i32.const 5))))
    (local.set $day (call $twoDigits (i32.add (local.get $at) (i32.const 8))))
    (local.set $hours (call $twoDigits (i32.add (local.get $at) (i32.const 11))))
    (local.set $minutes (call $twoDigits (i32.add (local.get $at) (i32.const 14))))
    (local.set $secs (call $twoDigits (i32.add (local.get $at) (i32.const 17))))
    (local.set $millis (i32.add (i32.mul (call $twoDigits (i32.add (local.get $at) (i32.const 20))) (i32.const 10))
                                (call $digit (i32.add (local.get $at) (i32.const 22)))))
    (if (i32.or
          (i32.or
            (i32.or (i32.ne (i32.load8_u offset=1028 (local.get $at)) (i32.const 45))
                    (i32.ne (i32.load8_u offset=1043 (local.get $at)) (i32.const 46)))
            (i32.or (i32.lt_s (local.get $year) (i32.const 0))
                    (i32.or (i32.lt_s (local.get $millis) (i32.const 0)) (i32.gt_s (local.get $millis) (i32.const 999)))))
          (i32.or
            (i32.or (i32.lt_s (local.get $month) (i32.const 1)) (i32.gt_s (local.get $month) (i32.const 12)))
            (i32.or
              (i32.or (i32.lt_s (local.get $day) (i32.const 1)) (i32.gt_s (local.get $day) (i32.const 31)))
              (i32.or
                (i32.or (i32.lt_s (local.get $hours) (i32.const 0)) (i32.gt_s (local.get $hours) (i32.const 24)))
                (i32.or
                  (i32.or (i32.lt_s (local.get $minutes) (i32.const 0)) (i32.gt_s (local.get $minutes) (i32.const 59)))
                  (i32.or (i32.lt_s (local.get $secs) (i32.const 0)) (i32.gt_s (local.get $secs) (i32.const 59))))))))
      (then (return (f64.const nan))))
    ;; Howard Hinnant's days_from_civil, as in time-key.ts.
    (local.set $y (f64.convert_i32_s
      (select (i32.sub (local.get $year) (i32.const 1)) (local.get $year) (i32.le_s (local.get $month) (i32.const 2)))))
    (local.set $era (f64.floor (f64.div (local.get $y) (f64.const 400))))
    (local.set $yoe (f64.sub (local.get $y) (f64.mul (local.get $era) (f64.const 400))))
    (local.set $doy (f64.add
      (f64.floor (f64.div
        (f64.add (f64.mul (f64.const 153)
                          (f64.convert_i32_s (i32.add (local.get $month)
                            (select (i32.const -3) (i32.const 9) (i32.gt_s (local.get $month) (i32.const 2))))))
                 (f64.const 2))
        (f64.const 5)))
      (f64.convert_i32_s (i32.sub (local.get $day) (i32.const 1)))))
    (local.set $doe (f64.add
      (f64.sub
        (f64.add (f64.mul (local.get $yoe) (f64.const 365)) (f64.floor (f64.div (local.get $yoe) (f64.const 4))))
        (f64.floor (f64.div (local.get $yoe) (f64.const 100))))
      (local.get $doy)))
    (f64.add
      (f64.mul
        (f64.add
          (f64.add
            (f64.mul
              (f64.sub (f64.add (f64.mul (local.get $era) (f64.const 146097)) (local.get $doe)) (f64.const 719468))
              (f64.const 86400))
            (f64.convert_i32_s (i32.add (i32.mul (local.get $hours) (i32.const 3600))
                                        (i32.mul (local.get $minutes) (i32.const 60)))))
          (f64.convert_i32_s (local.get $secs)))
        (f64.const 1000))
      (f64.convert_i32_s (local.get $millis))))

  ;; The time key of the last line, to the second: log lines come in time order, many per second, so
  ;; most lines only read their milliseconds. Bytes `YYYY-MM-DDTHH:MM:SS` as three words.
  (global $cachedA (mut i64) (i64.const 0))
  (global $cachedB (mut i64) (i64.const 0))
  (global $cachedC (mut i32) (i32.const 0))
  (global $cachedSecond (mut f64) (f64.const nan))

  ;; `$computeTimeKey`, from the cache when the line's time is in the same second as the last one's.
  (func $timeKey (param $at i32) (result f64)
    (local $millis i32)
    (local $key f64)
    (if (i32.and
          (i32.and
            (i64.eq (i64.load offset=1024 align=1 (local.get $at)) (global.get $cachedA))
            (i64.eq (i64.load offset=1032 align=1 (local.get $at)) (global.get $cachedB)))
          (i32.and
            (i32.eq (i32.load offset=1039 align=1 (local.get $at)) (global.get $cachedC))
            (i32.eq (i32.load8_u offset=1043 (local.get $at)) (i32.const 46))))
      (then
        (local.set $millis (i32.add (i32.mul (call $twoDigits (i32.add (local.get $at) (i32.const 20))) (i32.const 10))
                                    (call $digit (i32.add (local.get $at) (i32.const 22)))))
        ;; NaN (not cached yet) stays NaN.
        (if (i32.ge_s (local.get $millis) (i32.const 0))
          (then (return (f64.add (global.get $cachedSecond) (f64.convert_i32_s (local.get $millis))))))))
    (local.set $key (call $computeTimeKey (local.get $at)))
    (if (f64.eq (local.get $key) (local.get $key))
      (then
        (global.set $cachedA (i64.load offset=1024 align=1 (local.get $at)))
        (global.set $cachedB (i64.load offset=1032 align=1 (local.get $at)))
        (global.set $cachedC (i32.load offset=1039 align=1 (local.get $at)))
        (global.set $cachedSecond
          (f64.sub (local.get $key)
                   (f64.convert_i32_s (i32.add (i32.mul (call $twoDigits (i32.add (local.get $at) (i32.const 20))) (i32.const 10))
                                               (call $digit (i32.add (local.get $at) (i32.const 22)))))))))
    (local.get $key))

  ;; Whether line[at, at + length) is the ASCII word packed little-endian in `word` (length ≤ 8).
  (func $is (param $at i32) (param $length i32) (param $word i64) (result i32)
    ;; One 8-byte load, the bytes past `length` masked off (they may belong to the next token).
    (i64.eq
      (i64.and
        (i64.load offset=1024 align=1 (local.get $at))
        (i64.shr_u (i64.const -1) (i64.extend_i32_u (i32.shl (i32.sub (i32.const 8) (local.get $length)) (i32.const 3)))))
      (local.get $word)))

  ;; The index of the method line[start, end) in METHODS (kernel.ts): 1 GET … 9 TRACE; -1 for another.
  (func $methodIndex (param $start i32) (param $end i32) (result i32)
    (local $length i32)
    (local.set $length (i32.sub (local.get $end) (local.get $start)))
    ;; Words are the method's characters, little-endian: "GET" is 0x544547.
    (if (i32.eq (local.get $length) (i32.const 3))
      (then
        (if (call $is (local.get $start) (i32.const 3) (i64.const 0x544547)) (then (return (i32.const 1))))
        (if (call $is (local.get $start) (i32.const 3) (i64.const 0x545550)) (then (return (i32.const 3))))))
    (if (i32.eq (local.get $length) (i32.const 4))
      (then
        (if (call $is (local.get $start) (i32.const 4) (i64.const 0x54534f50)) (then (return (i32.const 2))))
        (if (call $is (local.get $start) (i32.const 4) (i64.const 0x44414548)) (then (return (i32.const 6))))))
    (if (i32.eq (local.get $length) (i32.const 5))
      (then
        (if (call $is (local.get $start) (i32.const 5) (i64.const 0x4843544150)) (then (return (i32.const 5))))
        (if (call $is (local.get $start) (i32.const 5) (i64.const 0x4543415254)) (then (return (i32.const 9))))))
    (if (i32.eq (local.get $length) (i32.const 6))
      (then
        (if (call $is (local.get $start) (i32.const 6) (i64.const 0x4554454c4544)) (then (return (i32.const 4))))))
    (if (i32.eq (local.get $length) (i32.const 7))
      (then
        (if (call $is (local.get $start) (i32.const 7) (i64.const 0x534e4f4954504f)) (then (return (i32.const 7))))
        (if (call $is (local.get $start) (i32.const 7) (i64.const 0x5443454e4e4f43)) (then (return (i32.const 8))))))
    (i32.const -1))

  ;; Whether token k is exactly `-` or empty (a null field).
  (func $unset (param $k i32) (result i32)
    (local $length i32)
    (local.set $length (i32.sub (i32.load offset=256 (i32.shl (local.get $k) (i32.const 2))) (i32.load (i32.shl (local.get $k) (i32.const 2)))))
    (i32.or
      (i32.eqz (local.get $length))
      (i32.and (i32.eq (local.get $length) (i32.const 1))
               (i32.eq (i32.load8_u offset=1024 (i32.load (i32.shl (local.get $k) (i32.const 2)))) (i32.const 45)))))

  ;; The lean reader of lean-record.ts over line[0, n): 1 with LEAN and LEAN_F written, or 0 when the record
  ;; needs the full parser: not laid out, a time that is not canonical, a 5xx, a response flag, a cluster
  ;; other than `outbound|…`/`inbound|…` or ending in `;`, an inbound record without a remote address, a
  ;; request line without a method or a path, code 0 on HTTP.
  (func $readLean (export "readLean") (param $n i32) (result i32)
    (local $code f64)
    (local $time f64)
    (local $run i32)
    (local $count i32)
    (local $tail i32)
    (local $clusterStart i32)
    (local $clusterEnd i32)
    (local $reqStart i32)
    (local $reqEnd i32)
    (local $methodEnd i32)
    (local $protocolSpace i32)
    (local $remoteStart i32)
    (local $remoteEnd i32)
    (if (global.get $internFull) (then (call $internReset)))
    (if (i32.ne (call $layoutText (local.get $n)) (global.get $LAID_OUT)) (then (return (i32.const 0))))
    (local.set $reqStart (i32.load offset=580 (i32.const 0)))
    (local.set $reqEnd (i32.load offset=584 (i32.const 0)))
    (local.set $count (i32.load offset=588 (i32.const 0)))
    (local.set $run (i32.load offset=592 (i32.const 0)))

    ;; START_TIME exactly as `toIsoTime` passes it through unchanged, and as `timeKeyAt` reads it.
    (if (i32.or
          (i32.ne (i32.load offset=576 (i32.const 0)) (i32.const 25))
          (i32.ne (i32.load8_u offset=1024 (i32.const 24)) (i32.const 90)))
      (then (return (i32.const 0))))
    (local.set $time (call $timeKey (i32.const 1)))
    (if (f64.ne (local.get $time) (local.get $time)) (then (return (i32.const 0))))

    (local.set $code (call $intOrUnset (i32.const 0)))
    (if (f64.ge (local.get $code) (f64.const 500)) (then (return (i32.const 0))))
    (if (i32.eqz (call $isDash (i32.const 1))) (then (return (i32.const 0))))

    (local.set $tail (i32.add (local.get $run) (i32.const 5)))
    (if (i32.le_s (local.get $count) (local.get $tail)) (then (return (i32.const 0))))
    (local.set $clusterStart (i32.load (i32.shl (local.get $tail) (i32.const 2))))
    (local.set $clusterEnd (i32.load offset=256 (i32.shl (local.get $tail) (i32.const 2))))
    ;; A trailing `;` (istio#54219) is cleaned by the full parser.
    (if (i32.eq (i32.load8_u offset=1023 (local.get $clusterEnd)) (i32.const 59)) (then (return (i32.const 0))))
    (i32.store offset=668 (i32.const 0) (local.get $clusterStart)) ;; LEAN 7: cluster start
    (i32.store offset=672 (i32.const 0) (local.get $clusterEnd)) ;; LEAN 8: cluster end
    (if (i32.and
          (i32.ge_s (i32.sub (local.get $clusterEnd) (local.get $clusterStart)) (i32.const 9))
          (i32.and
            (call $is (local.get $clusterStart) (i32.const 8) (i64.const 0x646e756f6274756f)) ;; "outbound"
            (i32.eq (i32.load8_u offset=1032 (local.get $clusterStart)) (i32.const 124)))) ;; "|"
      (then
        (i32.store offset=640 (i32.const 0) (i32.const 1)) ;; LEAN 0: direction
        (i32.store offset=676 (i32.const 0) (i32.const 0)) ;; LEAN 9: remote start
        (i32.store offset=680 (i32.const 0) (i32.const 0)) ;; LEAN 10: remote end
        (i32.store offset=700 (i32.const 0) ;; LEAN 15: cluster id
          (call $intern (i32.const 1) (local.get $clusterStart) (i32.sub (local.get $clusterEnd) (local.get $clusterStart))))
        (i32.store offset=704 (i32.const 0) (i32.const -1)) ;; LEAN 16: host id
        (i32.store offset=716 (i32.const 0) (i32.const -1))) ;; LEAN 19: X-Forwarded-For id
      (else
        (if (i32.eqz (i32.and
              (i32.ge_s (i32.sub (local.get $clusterEnd) (local.get $clusterStart)) (i32.const 8))
              (call $is (local.get $clusterStart) (i32.const 8) (i64.const 0x7c646e756f626e69)))) ;; "inbound|"
          (then (return (i32.const 0))))
        (i32.store offset=640 (i32.const 0) (i32.const 0)) ;; LEAN 0: direction
        ;; No remote address (the caller is then named from X-Forwarded-For alone): full parser.
        (if (i32.le_s (local.get $count) (i32.add (local.get $tail) (i32.const 3))) (then (return (i32.const 0))))
        (if (call $unset (i32.add (local.get $tail) (i32.const 3))) (then (return (i32.const 0))))
        (local.set $remoteStart (i32.load (i32.shl (i32.add (local.get $tail) (i32.const 3)) (i32.const 2))))
        (local.set $remoteEnd (i32.load offset=256 (i32.shl (i32.add (local.get $tail) (i32.const 3)) (i32.const 2))))
        (i32.store offset=676 (i32.const 0) (local.get $remoteStart)) ;; LEAN 9: remote start
        (i32.store offset=680 (i32.const 0) (local.get $remoteEnd)) ;; LEAN 10: remote end
        (i32.store offset=700 (i32.const 0) (i32.const -1)) ;; LEAN 15: cluster id
        (i32.store offset=704 (i32.const 0) (call $internHost (local.get $remoteStart) (local.get $remoteEnd))) ;; LEAN 16: host id
        ;; Port 0: the gateway restored the client's address, and the caller is named from X-Forwarded-For.
        (i32.store offset=716 (i32.const 0) ;; LEAN 19: X-Forwarded-For id
          (if (result i32)
            (i32.and
              (i32.ge_s (i32.sub (local.get $remoteEnd) (local.get $remoteStart)) (i32.const 2))
              (i32.eq (i32.load16_u offset=1022 align=1 (local.get $remoteEnd)) (i32.const 0x303a))) ;; ":0"
            (then
              (call $intern (i32.const 4)
                (i32.load (i32.shl (local.get $run) (i32.const 2)))
                (i32.sub (i32.load offset=256 (i32.shl (local.get $run) (i32.const 2)))
                         (i32.load (i32.shl (local.get $run) (i32.const 2))))))
            (else (i32.const -1))))))

    (if (i32.and
          (i32.eq (i32.sub (local.get $reqEnd) (local.get $reqStart)) (i32.const 5))
          (call $is (local.get $reqStart) (i32.const 5) (i64.const 0x2d202d202d))) ;; "- - -"
      (then
        ;; TCP: no method, no path.
        (i32.store offset=648 (i32.const 0) (i32.const 0)) ;; LEAN 2: method index
        (i32.store offset=652 (i32.const 0) (i32.const 0)) ;; LEAN 3: method start
        (i32.store offset=656 (i32.const 0) (i32.const 0)) ;; LEAN 4: method end
        (i32.store offset=660 (i32.const 0) (i32.const 0)) ;; LEAN 5: path start
        (i32.store offset=664 (i32.const 0) (i32.const 0)) ;; LEAN 6: path end
        (i32.store offset=708 (i32.const 0) (i32.const -1))) ;; LEAN 17: path id
      (else
        (local.set $methodEnd (call $find (i32.const 32) (local.get $reqStart) (local.get $reqEnd)))
        (if (i32.lt_s (local.get $methodEnd) (i32.const 0)) (then (return (i32.const 0))))
        (local.set $protocolSpace (i32.sub (local.get $reqEnd) (i32.const 1)))
        (block $found
          (loop $back
            (br_if $found (i32.le_s (local.get $protocolSpace) (local.get $methodEnd)))
            (br_if $found (i32.eq (i32.load8_u offset=1024 (local.get $protocolSpace)) (i32.const 32)))
            (local.set $protocolSpace (i32.sub (local.get $protocolSpace) (i32.const 1)))
            (br $back)))
        (if (i32.le_s (local.get $protocolSpace) (local.get $methodEnd)) (then (return (i32.const 0))))
        ;; No method or no path: rare, and the summary's grouping of them lives with the full entry.
        (i32.store offset=652 (i32.const 0) (local.get $reqStart)) ;; LEAN 3: method start
        (i32.store offset=656 (i32.const 0) (local.get $methodEnd)) ;; LEAN 4: method end
        (i32.store offset=660 (i32.const 0) (i32.add (local.get $methodEnd) (i32.const 1))) ;; LEAN 5: path start
        (i32.store offset=664 (i32.const 0) (local.get $protocolSpace)) ;; LEAN 6: path end
        (if (call $unsetRange (local.get $reqStart) (local.get $methodEnd)) (then (return (i32.const 0))))
        (if (call $unsetRange (i32.add (local.get $methodEnd) (i32.const 1)) (local.get $protocolSpace))
          (then (return (i32.const 0))))
        ;; Code 0 on an HTTP request is an error (no response was sent).
        (if (f64.eq (local.get $code) (f64.const 0)) (then (return (i32.const 0))))
        (i32.store offset=648 (i32.const 0) (call $methodIndex (local.get $reqStart) (local.get $methodEnd))) ;; LEAN 2: method index
        (i32.store offset=708 (i32.const 0) ;; LEAN 17: path id
          (call $intern (i32.const 3)
            (i32.add (local.get $methodEnd) (i32.const 1))
            (i32.sub (local.get $protocolSpace) (i32.add (local.get $methodEnd) (i32.const 1)))))))
    (i32.store offset=712 (i32.const 0) (global.get $epoch)) ;; LEAN 18: epoch

    (i32.store offset=644 (i32.const 0) (i32.trunc_f64_u (local.get $code))) ;; LEAN 1: response code
    (i32.store offset=684 (i32.const 0) (i32.load (i32.shl (local.get $run) (i32.const 2)))) ;; LEAN 11: X-Forwarded-For start
    (i32.store offset=688 (i32.const 0) (i32.load offset=256 (i32.shl (local.get $run) (i32.const 2)))) ;; LEAN 12: X-Forwarded-For end
    (i32.store offset=692 (i32.const 0) (i32.load (i32.shl (i32.add (local.get $run) (i32.const 2)) (i32.const 2)))) ;; LEAN 13: request id start
    (i32.store offset=696 (i32.const 0) (i32.load offset=256 (i32.shl (i32.add (local.get $run) (i32.const 2)) (i32.const 2)))) ;; LEAN 14: request id end
    (f64.store offset=768 (i32.const 0) (local.get $time)) ;; LEAN_F: time key
    (f64.store offset=776 (i32.const 0) (call $intOrUnset (i32.sub (local.get $run) (i32.const 4)))) ;; LEAN_F: bytes received
    (f64.store offset=784 (i32.const 0) (call $intOrUnset (i32.sub (local.get $run) (i32.const 3)))) ;; LEAN_F: bytes sent
    (f64.store offset=792 (i32.const 0) (call $intOrUnset (i32.sub (local.get $run) (i32.const 2)))) ;; LEAN_F: duration
    (i32.const 1))

  ;; Whether line[start, end) is empty or exactly `-`.
  (func $unsetRange (param $start i32) (param $end i32) (result i32)
    (i32.or
      (i32.eq (local.get $end) (local.get $start))
      (i32.and (i32.eq (i32.sub (local.get $end) (local.get $start)) (i32.const 1))
               (i32.eq (i32.load8_u offset=1024 (local.get $start)) (i32.const 45)))))

  ;; `readLean` of the line CHUNK[at, at + n): a chunk written once, its lines read one by one.
  (func (export "readLeanAt") (param $at i32) (param $n i32) (result i32)
    (memory.copy (i32.const 1024) (i32.add (i32.const 0x110000) (local.get $at)) (local.get $n))
    (call $readLean (local.get $n)))

  ;; ---- Interning -----------------------------------------------------------------------------------
  ;; The strings a summary keys on (cluster, caller host, path) repeat on nearly every line, and hashing a
  ;; fresh JavaScript string for a Map lookup costs ~200 ns on the benchmark machine. Here each gets a
  ;; small id, the same for the same bytes, which the summary uses as an array index. Ids are valid until
  ;; the table fills up: the next `readLean` then empties it and increases the epoch (LEAN slot 18), so a
  ;; summary knows to forget what it learnt by id.

  (global $internCount (mut i32) (i32.const 0))
  (global $arenaUsed (mut i32) (i32.const 0))
  (global $internFull (mut i32) (i32.const 0))
  (global $epoch (mut i32) (i32.const 0))

  (func $internReset
    (memory.fill (i32.const 0x211000) (i32.const 0) (i32.const 0x10000))
    (global.set $internCount (i32.const 0))
    (global.set $arenaUsed (i32.const 0))
    (global.set $internFull (i32.const 0))
    (global.set $epoch (i32.add (global.get $epoch) (i32.const 1))))

  ;; FNV-1a of line[at, at + n), started from the kind.
  (func $hash (param $kind i32) (param $at i32) (param $n i32) (result i32)
    (local $h i32)
    (local $end i32)
    (local.set $h (i32.mul (i32.xor (i32.const 0x811c9dc5) (local.get $kind)) (i32.const 0x01000193)))
    (local.set $end (i32.add (local.get $at) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u offset=1024 (local.get $at))) (i32.const 0x01000193)))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (local.get $h))

  ;; Whether the n bytes at absolute addresses a and b are equal.
  (func $equal (param $a i32) (param $b i32) (param $n i32) (result i32)
    (block $bytes
      (loop $words
        (br_if $bytes (i32.lt_s (local.get $n) (i32.const 8)))
        (if (i64.ne (i64.load align=1 (local.get $a)) (i64.load align=1 (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 8)))
        (br $words)))
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; The id of the string line[at, at + n) of this kind, added if new; -1 when it is longer than 255 bytes
  ;; or the table is full (then marked to be emptied by the next `readLean`).
  (func $intern (param $kind i32) (param $at i32) (param $n i32) (result i32)
    (local $h i32)
    (local $slot i32)
    (local $id i32)
    (local $entry i32)
    (if (i32.gt_u (local.get $n) (i32.const 255)) (then (return (i32.const -1))))
    (local.set $h (call $hash (local.get $kind) (local.get $at) (local.get $n)))
    (local.set $slot (i32.and (local.get $h) (i32.const 16383)))
    (loop $probe
      (local.set $id (i32.sub (i32.load offset=0x211000 (i32.shl (local.get $slot) (i32.const 2))) (i32.const 1)))
      (if (i32.lt_s (local.get $id) (i32.const 0))
        (then
          (if (i32.or
                (i32.ge_u (global.get $internCount) (i32.const 8192))
                (i32.gt_u (i32.add (global.get $arenaUsed) (local.get $n)) (i32.const 0x100000)))
            (then
              (global.set $internFull (i32.const 1))
              (return (i32.const -1))))
          (local.set $id (global.get $internCount))
          (local.set $entry (i32.add (i32.const 0x221000) (i32.shl (local.get $id) (i32.const 4))))
          (i32.store (local.get $entry) (local.get $h))
          (i32.store offset=4 (local.get $entry) (local.get $kind))
          (i32.store offset=8 (local.get $entry) (global.get $arenaUsed))
          (i32.store offset=12 (local.get $entry) (local.get $n))
          (memory.copy
            (i32.add (i32.const 0x241000) (global.get $arenaUsed))
            (i32.add (i32.const 1024) (local.get $at))
            (local.get $n))
          (global.set $arenaUsed (i32.add (global.get $arenaUsed) (local.get $n)))
          (i32.store offset=0x211000 (i32.shl (local.get $slot) (i32.const 2)) (i32.add (local.get $id) (i32.const 1)))
          (global.set $internCount (i32.add (local.get $id) (i32.const 1)))
          (return (local.get $id))))
      (local.set $entry (i32.add (i32.const 0x221000) (i32.shl (local.get $id) (i32.const 4))))
      (if (i32.and
            (i32.and (i32.eq (i32.load (local.get $entry)) (local.get $h))
                     (i32.eq (i32.load offset=4 (local.get $entry)) (local.get $kind)))
            (i32.eq (i32.load offset=12 (local.get $entry)) (local.get $n)))
        (then
          (if (call $equal
                (i32.add (i32.const 0x241000) (i32.load offset=8 (local.get $entry)))
                (i32.add (i32.const 1024) (local.get $at))
                (local.get $n))
            (then (return (local.get $id))))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 16383)))
      (br $probe))
    (i32.const -1))

  ;; The id of the host of the address line[start, end) (`10.1.2.3:80` → `10.1.2.3`, `[fd00::1]:80` →
  ;; `fd00::1`, as `hostOfAddress` in analysis/peer), kind 2.
  (func $internHost (param $start i32) (param $end i32) (result i32)
    (local $colon i32)
    (local $i i32)
    (if (i32.eq (i32.load8_u offset=1024 (local.get $start)) (i32.const 91)) ;; "["
      (then
        (local.set $i (call $find (i32.const 93) (local.get $start) (local.get $end)))
        (if (i32.gt_s (local.get $i) (local.get $start))
          (then
            (return (call $intern (i32.const 2)
              (i32.add (local.get $start) (i32.const 1))
              (i32.sub (local.get $i) (i32.add (local.get $start) (i32.const 1)))))))
        (return (call $intern (i32.const 2) (local.get $start) (i32.sub (local.get $end) (local.get $start))))))
    ;; One colon, not first: the port follows it.
    (local.set $colon (call $find (i32.const 58) (local.get $start) (local.get $end)))
    (if (i32.and
          (i32.gt_s (local.get $colon) (local.get $start))
          (i32.lt_s (call $find (i32.const 58) (i32.add (local.get $colon) (i32.const 1)) (local.get $end)) (i32.const 0)))
      (then (return (call $intern (i32.const 2) (local.get $start) (i32.sub (local.get $colon) (local.get $start))))))
    (call $intern (i32.const 2) (local.get $start) (i32.sub (local.get $end) (local.get $start))))

  ;; ---- JSON ----------------------------------------------------------------------------------------
  ;; `scanJson` of scan-json.ts over a flat JSON object in LINE: for each field of the key table, where
  ;; its value is (JSCAN, the same arrays as `JsonScan`). Keys are recognised by the key order of the
  ;; last record (SHAPE, kept up to date by JavaScript with `setJsonShapeKey`): records of one proxy
  ;; repeat their keys in the same order. JSON memory:
  ;;   0x341000 JKINDS  u8 × 32     0x341020 JRANKS u8 × 32
  ;;   0x341040 JSTARTS i32 × 32    0x3410c0 JENDS  i32 × 32
  ;;   0x341200 SHAPE_LENGTH i32 × 128  key length + 1 at each position, 0 for none
  ;;   0x341400 SHAPE_ID     i32 × 128  its id (field × 32 + rank), -1 for a key no field wants
  ;;   0x341600 SHAPE_KEYS   64 B × 128 its bytes
  ;;   0x343600 PAIRS  i32 × 2 × 128  key start, key end of each pair of the last record
  ;;   0x343a00 JCOUNT i32            pairs in the last record

  (func $isSpace (param $c i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
      (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13)))))

  (func $skipSpace (param $i i32) (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (br_if $done (i32.eqz (call $isSpace (i32.load8_u offset=1024 (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  (func $isDigitAt (param $i i32) (param $n i32) (result i32)
    (i32.le_u (i32.sub (call $at (local.get $i) (local.get $n)) (i32.const 48)) (i32.const 9)))

  ;; End of the JSON number at line[i], or -1 when it is not one JSON allows (`numberEnd` in scan-json.ts).
  (func $numberEnd (param $i i32) (param $n i32) (result i32)
    (local $from i32)
    (local $c i32)
    (if (i32.eq (call $at (local.get $i) (local.get $n)) (i32.const 45)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (local.set $from (local.get $i))
    (block $done (loop $next
      (br_if $done (i32.eqz (call $isDigitAt (local.get $i) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (if (i32.eq (local.get $i) (local.get $from)) (then (return (i32.const -1))))
    ;; No leading zeros.
    (if (i32.and
          (i32.eq (i32.load8_u offset=1024 (local.get $from)) (i32.const 48))
          (i32.gt_s (i32.sub (local.get $i) (local.get $from)) (i32.const 1)))
      (then (return (i32.const -1))))
    (if (i32.eq (call $at (local.get $i) (local.get $n)) (i32.const 46)) ;; "."
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $from (local.get $i))
        (block $done (loop $next
          (br_if $done (i32.eqz (call $isDigitAt (local.get $i) (local.get $n))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (if (i32.eq (local.get $i) (local.get $from)) (then (return (i32.const -1))))))
    (local.set $c (call $at (local.get $i) (local.get $n)))
    (if (i32.or (i32.eq (local.get $c) (i32.const 101)) (i32.eq (local.get $c) (i32.const 69))) ;; "e" "E"
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (call $at (local.get $i) (local.get $n)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
          (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (local.set $from (local.get $i))
        (block $done (loop $next
          (br_if $done (i32.eqz (call $isDigitAt (local.get $i) (local.get $n))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (if (i32.eq (local.get $i) (local.get $from)) (then (return (i32.const -1))))))
    (local.get $i))

  ;; The JSON object in line[0, n): 1 with JSCAN filled; 2 when a key was not where the last record had
  ;; it (JSCAN is then incomplete: JavaScript scans the record and updates SHAPE from PAIRS); 0 when the
  ;; record is not for this scanner (a backslash anywhere, a nested value, more than 128 keys, anything
  ;; out of place): JavaScript's scanner decides.
  (func $scanJson (export "scanJson") (param $n i32) (result i32)
    (local $i i32)
    (local $c i32)
    (local $position i32)
    (local $missed i32)
    (local $keyStart i32)
    (local $keyEnd i32)
    (local $length i32)
    (local $id i32)
    (local $field i32)
    (local $rank i32)
    (local $kind i32)
    (local $start i32)
    (local $end i32)
    (if (i32.ge_s (call $find (i32.const 92) (i32.const 0) (local.get $n)) (i32.const 0)) (then (return (i32.const 0))))
    (memory.fill (i32.const 0x341000) (i32.const 0) (i32.const 32))
    (local.set $i (call $skipSpace (i32.const 0) (local.get $n)))
    (if (i32.ne (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 123)) (then (return (i32.const 0))))
    (local.set $i (call $skipSpace (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
    (if (i32.eq (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 125))
      (then
        (i32.store offset=0x343a00 (i32.const 0) (i32.const 0))
        (return (i32.eq (call $skipSpace (i32.add (local.get $i) (i32.const 1)) (local.get $n)) (local.get $n)))))
    (loop $pair
      (if (i32.ge_s (local.get $position) (i32.const 128)) (then (return (i32.const 0))))
      (if (i32.ne (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 34)) (then (return (i32.const 0))))
      (local.set $keyStart (i32.add (local.get $i) (i32.const 1)))
      (local.set $keyEnd (call $find (i32.const 34) (local.get $keyStart) (local.get $n)))
      (if (i32.lt_s (local.get $keyEnd) (i32.const 0)) (then (return (i32.const 0))))
      (i32.store offset=0x343600 (i32.shl (local.get $position) (i32.const 3)) (local.get $keyStart))
      (i32.store offset=0x343604 (i32.shl (local.get $position) (i32.const 3)) (local.get $keyEnd))
      (local.set $length (i32.sub (local.get $keyEnd) (local.get $keyStart)))
      (if (i32.and
            (i32.eq
              (i32.load offset=0x341200 (i32.shl (local.get $position) (i32.const 2)))
              (i32.add (local.get $length) (i32.const 1)))
            (call $equal
              (i32.add (i32.const 0x341600) (i32.shl (local.get $position) (i32.const 6)))
              (i32.add (i32.const 1024) (local.get $keyStart))
              (local.get $length)))
        (then (local.set $id (i32.load offset=0x341400 (i32.shl (local.get $position) (i32.const 2)))))
        (else
          (local.set $missed (i32.const 1))
          (local.set $id (i32.const -1))))
      ;; Compact JSON (`"key":value`) is the usual case: the space skipping is only called for a space.
      (local.set $i (i32.add (local.get $keyEnd) (i32.const 1)))
      (if (if (result i32) (i32.le_u (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 32)) (then (call $isSpace (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))) (else (i32.const 0))) (then (local.set $i (call $skipSpace (local.get $i) (local.get $n)))))
      (if (i32.ne (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 58)) (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $c (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))
      (if (if (result i32) (i32.le_u (local.get $c) (i32.const 32)) (then (call $isSpace (local.get $c))) (else (i32.const 0)))
        (then
          (local.set $i (call $skipSpace (local.get $i) (local.get $n)))
          (local.set $c (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))))
      (block $value
        (if (i32.eq (local.get $c) (i32.const 34))
          (then
            (local.set $start (i32.add (local.get $i) (i32.const 1)))
            (local.set $end (call $find (i32.const 34) (local.get $start) (local.get $n)))
            (if (i32.lt_s (local.get $end) (i32.const 0)) (then (return (i32.const 0))))
            (local.set $kind (i32.const 1)) ;; STRING
            (local.set $i (i32.add (local.get $end) (i32.const 1)))
            (br $value)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.le_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)))
          (then
            (local.set $start (local.get $i))
            (local.set $end (call $numberEnd (local.get $i) (local.get $n)))
            (if (i32.lt_s (local.get $end) (i32.const 0)) (then (return (i32.const 0))))
            (local.set $kind (i32.const 3)) ;; NUMBER
            (local.set $i (local.get $end))
            (br $value)))
        (local.set $start (local.get $i))
        (if (i32.and (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $n))
                     (call $is (local.get $i) (i32.const 4) (i64.const 0x6c6c756e))) ;; "null"
          (then
            (local.set $end (i32.add (local.get $i) (i32.const 4)))
            (local.set $kind (i32.const 4)) ;; NULL
            (local.set $i (local.get $end))
            (br $value)))
        (if (i32.and (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $n))
                     (call $is (local.get $i) (i32.const 4) (i64.const 0x65757274))) ;; "true"
          (then
            (local.set $end (i32.add (local.get $i) (i32.const 4)))
            (local.set $kind (i32.const 5)) ;; BOOLEAN
            (local.set $i (local.get $end))
            (br $value)))
        (if (i32.and (i32.le_s (i32.add (local.get $i) (i32.const 5)) (local.get $n))
                     (call $is (local.get $i) (i32.const 5) (i64.const 0x65736c6166))) ;; "false"
          (then
            (local.set $end (i32.add (local.get $i) (i32.const 5)))
            (local.set $kind (i32.const 5)) ;; BOOLEAN
            (local.set $i (local.get $end))
            (br $value)))
        (return (i32.const 0)))
      (if (i32.ge_s (local.get $id) (i32.const 0))
        (then
          (local.set $field (i32.shr_u (local.get $id) (i32.const 5)))
          (local.set $rank (i32.and (local.get $id) (i32.const 31)))
          ;; The first key of the field's list wins; a repeated key keeps its last value, as in JSON.parse.
          (if (i32.or
                (i32.eqz (i32.load8_u offset=0x341000 (local.get $field)))
                (i32.le_u (local.get $rank) (i32.load8_u offset=0x341020 (local.get $field))))
            (then
              (i32.store8 offset=0x341000 (local.get $field) (local.get $kind))
              (i32.store8 offset=0x341020 (local.get $field) (local.get $rank))
              (i32.store offset=0x341040 (i32.shl (local.get $field) (i32.const 2)) (local.get $start))
              (i32.store offset=0x3410c0 (i32.shl (local.get $field) (i32.const 2)) (local.get $end))))))
      (local.set $position (i32.add (local.get $position) (i32.const 1)))
      (local.set $c (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))
      (if (if (result i32) (i32.le_u (local.get $c) (i32.const 32)) (then (call $isSpace (local.get $c))) (else (i32.const 0)))
        (then
          (local.set $i (call $skipSpace (local.get $i) (local.get $n)))
          (local.set $c (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (if (result i32) (i32.le_u (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))) (i32.const 32)) (then (call $isSpace (select (i32.load8_u offset=1024 (local.get $i)) (i32.const 0) (i32.lt_s (local.get $i) (local.get $n))))) (else (i32.const 0))) (then (local.set $i (call $skipSpace (local.get $i) (local.get $n)))))
          (br $pair))))
    (if (i32.ne (local.get $c) (i32.const 125)) (then (return (i32.const 0))))
    (i32.store offset=0x343a00 (i32.const 0) (local.get $position))
    (if (i32.ne (call $skipSpace (i32.add (local.get $i) (i32.const 1)) (local.get $n)) (local.get $n))
      (then (return (i32.const 0))))
    (select (i32.const 2) (i32.const 1) (local.get $missed)))

  ;; Remembers the key line[start, end) (of the record last scanned) at `position`, with its id.
  (func (export "setJsonShapeKey") (param $position i32) (param $start i32) (param $end i32) (param $id i32)
    (local $length i32)
    (local.set $length (i32.sub (local.get $end) (local.get $start)))
    (if (i32.ge_u (local.get $position) (i32.const 128)) (then (return)))
    (if (i32.gt_u (local.get $length) (i32.const 64))
      (then
        (i32.store offset=0x341200 (i32.shl (local.get $position) (i32.const 2)) (i32.const 0))
        (return)))
    (memory.copy
      (i32.add (i32.const 0x341600) (i32.shl (local.get $position) (i32.const 6)))
      (i32.add (i32.const 1024) (local.get $start))
      (local.get $length))
    (i32.store offset=0x341200 (i32.shl (local.get $position) (i32.const 2)) (i32.add (local.get $length) (i32.const 1)))
    (i32.store offset=0x341400 (i32.shl (local.get $position) (i32.const 2)) (local.get $id)))

  ;; Forgets SHAPE (another key table is scanning).
  (func (export "clearJsonShape")
    (memory.fill (i32.const 0x341200) (i32.const 0) (i32.const 512)))

  ;; ---- The lean reader of JSON records -------------------------------------------------------------
  ;; `readLean` for a JSON record: what the summary needs, read from JSCAN into LEAN, for the common record
  ;; only, with the same answers as the full entry (parse-json.ts `entryFromScan`; the summary-level test
  ;; is lean-summary.test.ts). JSCAN fields are in the order of DEFAULT_JSON_KEYS (parse-json.ts), checked
  ;; by a test: 0 start_time, 1 method, 2 path, 4 response_code, 5 response_flags, 9 bytes_received,
  ;; 10 bytes_sent, 11 duration_ms, 13 x_forwarded_for, 15 request_id, 18 upstream_cluster,
  ;; 21 downstream_remote_address. Kinds: 0 absent, 1 string, 3 number, 4 null, 5 boolean.

  (func $jsonKind (param $field i32) (result i32)
    (i32.load8_u offset=0x341000 (local.get $field)))

  (func $jsonStart (param $field i32) (result i32)
    (i32.load offset=0x341040 (i32.shl (local.get $field) (i32.const 2))))

  (func $jsonEnd (param $field i32) (result i32)
    (i32.load offset=0x3410c0 (i32.shl (local.get $field) (i32.const 2))))

  ;; Whether the field is a string other than `-` and `""` (what `stringAt` gives as non-null).
  (func $jsonText (param $field i32) (result i32)
    (i32.and
      (i32.eq (call $jsonKind (local.get $field)) (i32.const 1))
      (i32.eqz (call $unsetRange (call $jsonStart (local.get $field)) (call $jsonEnd (local.get $field))))))

  ;; 1 to 15 digits at line[start, end) as a number; -1 when they are not.
  (func $digits (param $start i32) (param $end i32) (result f64)
    (local $value f64)
    (local $d i32)
    (if (i32.or
          (i32.eq (local.get $end) (local.get $start))
          (i32.gt_s (i32.sub (local.get $end) (local.get $start)) (i32.const 15)))
      (then (return (f64.const -1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $start) (local.get $end)))
        (local.set $d (i32.sub (i32.load8_u offset=1024 (local.get $start)) (i32.const 48)))
        (if (i32.gt_u (local.get $d) (i32.const 9)) (then (return (f64.const -1))))
        (local.set $value (f64.add (f64.mul (local.get $value) (f64.const 10)) (f64.convert_i32_u (local.get $d))))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (br $next)))
    (local.get $value))

  ;; A count field (`intAt` of parse-json.ts): its value, -1 for none (absent, null, `-`, `""`), or -2 when
  ;; it is anything else (a fraction, a sign, a boolean: the full parser decides).
  (func $jsonCount (param $field i32) (result f64)
    (local $kind i32)
    (local $value f64)
    (local.set $kind (call $jsonKind (local.get $field)))
    (if (i32.or (i32.eqz (local.get $kind)) (i32.eq (local.get $kind) (i32.const 4))) (then (return (f64.const -1))))
    (if (i32.and (i32.eq (local.get $kind) (i32.const 1))
                 (call $unsetRange (call $jsonStart (local.get $field)) (call $jsonEnd (local.get $field))))
      (then (return (f64.const -1))))
    (if (i32.and (i32.ne (local.get $kind) (i32.const 1)) (i32.ne (local.get $kind) (i32.const 3)))
      (then (return (f64.const -2))))
    (local.set $value (call $digits (call $jsonStart (local.get $field)) (call $jsonEnd (local.get $field))))
    (select (f64.const -2) (local.get $value) (f64.lt (local.get $value) (f64.const 0))))

  ;; The lean reader over the JSON record in line[0, n): 1 with LEAN and LEAN_F written, or 0 when the
  ;; record needs the full parser: not scanned here, a time that is not canonical, no method or path, a
  ;; code that is not 1-499 in plain digits, a response flag, a cluster other than `outbound|…`/`inbound|…`
  ;; or ending in `;`, an inbound record without a remote address, values of unusual types.
  (func $readLeanJson (export "readLeanJson") (param $n i32) (result i32)
    (local $start i32)
    (local $end i32)
    (local $code f64)
    (local $time f64)
    (local $kind i32)
    (local $clusterStart i32)
    (local $clusterEnd i32)
    (local $remoteStart i32)
    (local $remoteEnd i32)
    (if (global.get $internFull) (then (call $internReset)))
    (if (i32.ne (call $scanJson (local.get $n)) (i32.const 1)) (then (return (i32.const 0))))

    ;; START_TIME exactly as `toIsoTime` passes it through unchanged, and as `timeKeyAt` reads it.
    (local.set $start (call $jsonStart (i32.const 0)))
    (if (i32.or
          (i32.or
            (i32.ne (call $jsonKind (i32.const 0)) (i32.const 1))
            (i32.ne (i32.sub (call $jsonEnd (i32.const 0)) (local.get $start)) (i32.const 24)))
          (i32.or
            (i32.ne (i32.load8_u offset=1034 (local.get $start)) (i32.const 84)) ;; "T"
            (i32.ne (i32.load8_u offset=1047 (local.get $start)) (i32.const 90)))) ;; "Z"
      (then (return (i32.const 0))))
    (local.set $time (call $timeKey (local.get $start)))
    (if (f64.ne (local.get $time) (local.get $time)) (then (return (i32.const 0))))

    ;; A method and a path (a record without them is TCP, or odd: the full parser groups those).
    (if (i32.eqz (i32.and (call $jsonText (i32.const 1)) (call $jsonText (i32.const 2)))) (then (return (i32.const 0))))

    ;; A code of 1-499 in plain digits, as a number or a string.
    (local.set $kind (call $jsonKind (i32.const 4)))
    (if (i32.and (i32.ne (local.get $kind) (i32.const 1)) (i32.ne (local.get $kind) (i32.const 3)))
      (then (return (i32.const 0))))
    (local.set $code (call $digits (call $jsonStart (i32.const 4)) (call $jsonEnd (i32.const 4))))
    (if (i32.or (f64.lt (local.get $code) (f64.const 1)) (f64.ge (local.get $code) (f64.const 500)))
      (then (return (i32.const 0))))

    ;; No response flags: absent, null, `-` or `""`.
    (local.set $kind (call $jsonKind (i32.const 5)))
    (if (i32.eqz (i32.or
          (i32.or (i32.eqz (local.get $kind)) (i32.eq (local.get $kind) (i32.const 4)))
          (i32.and (i32.eq (local.get $kind) (i32.const 1))
                   (call $unsetRange (call $jsonStart (i32.const 5)) (call $jsonEnd (i32.const 5))))))
      (then (return (i32.const 0))))

    ;; The cluster: `outbound|…` or `inbound|…`, without the trailing `;` the full parser cleans.
    (if (i32.eqz (call $jsonText (i32.const 18))) (then (return (i32.const 0))))
    (local.set $clusterStart (call $jsonStart (i32.const 18)))
    (local.set $clusterEnd (call $jsonEnd (i32.const 18)))
    (if (i32.eq (i32.load8_u offset=1023 (local.get $clusterEnd)) (i32.const 59)) (then (return (i32.const 0))))
    (i32.store offset=668 (i32.const 0) (local.get $clusterStart)) ;; LEAN 7: cluster start
    (i32.store offset=672 (i32.const 0) (local.get $clusterEnd)) ;; LEAN 8: cluster end
    (if (i32.and
          (i32.ge_s (i32.sub (local.get $clusterEnd) (local.get $clusterStart)) (i32.const 9))
          (i32.and
            (call $is (local.get $clusterStart) (i32.const 8) (i64.const 0x646e756f6274756f)) ;; "outbound"
            (i32.eq (i32.load8_u offset=1032 (local.get $clusterStart)) (i32.const 124)))) ;; "|"
      (then
        (i32.store offset=640 (i32.const 0) (i32.const 1)) ;; LEAN 0: direction
        (i32.store offset=676 (i32.const 0) (i32.const 0)) ;; LEAN 9: remote start
        (i32.store offset=680 (i32.const 0) (i32.const 0)) ;; LEAN 10: remote end
        (i32.store offset=700 (i32.const 0) ;; LEAN 15: cluster id
          (call $intern (i32.const 1) (local.get $clusterStart) (i32.sub (local.get $clusterEnd) (local.get $clusterStart))))
        (i32.store offset=704 (i32.const 0) (i32.const -1)) ;; LEAN 16: host id
        (i32.store offset=716 (i32.const 0) (i32.const -1))) ;; LEAN 19: X-Forwarded-For id
      (else
        (if (i32.eqz (i32.and
              (i32.ge_s (i32.sub (local.get $clusterEnd) (local.get $clusterStart)) (i32.const 8))
              (call $is (local.get $clusterStart) (i32.const 8) (i64.const 0x7c646e756f626e69)))) ;; "inbound|"
          (then (return (i32.const 0))))
        (i32.store offset=640 (i32.const 0) (i32.const 0)) ;; LEAN 0: direction
        (if (i32.eqz (call $jsonText (i32.const 21))) (then (return (i32.const 0))))
        (local.set $remoteStart (call $jsonStart (i32.const 21)))
        (local.set $remoteEnd (call $jsonEnd (i32.const 21)))
        (i32.store offset=676 (i32.const 0) (local.get $remoteStart)) ;; LEAN 9: remote start
        (i32.store offset=680 (i32.const 0) (local.get $remoteEnd)) ;; LEAN 10: remote end
        (i32.store offset=700 (i32.const 0) (i32.const -1)) ;; LEAN 15: cluster id
        (i32.store offset=704 (i32.const 0) (call $internHost (local.get $remoteStart) (local.get $remoteEnd))) ;; LEAN 16: host id
        (i32.store offset=716 (i32.const 0) (i32.const -1)) ;; LEAN 19: X-Forwarded-For id
        ;; Port 0: the caller is named from X-Forwarded-For, which must then be a string (`-` included).
        (if (i32.and
              (i32.ge_s (i32.sub (local.get $remoteEnd) (local.get $remoteStart)) (i32.const 2))
              (i32.eq (i32.load16_u offset=1022 align=1 (local.get $remoteEnd)) (i32.const 0x303a))) ;; ":0"
          (then
            (if (i32.ne (call $jsonKind (i32.const 13)) (i32.const 1)) (then (return (i32.const 0))))
            (i32.store offset=716 (i32.const 0) ;; LEAN 19: X-Forwarded-For id
              (call $intern (i32.const 4)
                (call $jsonStart (i32.const 13))
                (i32.sub (call $jsonEnd (i32.const 13)) (call $jsonStart (i32.const 13)))))))))
    ;; X-Forwarded-For as a string (or none), for the caller's name.
    (local.set $kind (call $jsonKind (i32.const 13)))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (i32.store offset=684 (i32.const 0) (call $jsonStart (i32.const 13))) ;; LEAN 11: X-Forwarded-For start
        (i32.store offset=688 (i32.const 0) (call $jsonEnd (i32.const 13)))) ;; LEAN 12: X-Forwarded-For end
      (else
        (if (i32.and (i32.ne (local.get $kind) (i32.const 0)) (i32.ne (local.get $kind) (i32.const 4)))
          (then (return (i32.const 0))))
        (i32.store offset=684 (i32.const 0) (i32.const 0)) ;; LEAN 11: X-Forwarded-For start
        (i32.store offset=688 (i32.const 0) (i32.const 0)))) ;; LEAN 12: X-Forwarded-For end
    ;; The request id as a string (or none).
    (local.set $kind (call $jsonKind (i32.const 15)))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (i32.store offset=692 (i32.const 0) (call $jsonStart (i32.const 15))) ;; LEAN 13: request id start
        (i32.store offset=696 (i32.const 0) (call $jsonEnd (i32.const 15)))) ;; LEAN 14: request id end
      (else
        (if (i32.and (i32.ne (local.get $kind) (i32.const 0)) (i32.ne (local.get $kind) (i32.const 4)))
          (then (return (i32.const 0))))
        (i32.store offset=692 (i32.const 0) (i32.const 0)) ;; LEAN 13: request id start
        (i32.store offset=696 (i32.const 0) (i32.const 0)))) ;; LEAN 14: request id end

    (f64.store offset=776 (i32.const 0) (call $jsonCount (i32.const 9))) ;; LEAN_F: bytes received
    (f64.store offset=784 (i32.const 0) (call $jsonCount (i32.const 10))) ;; LEAN_F: bytes sent
    (f64.store offset=792 (i32.const 0) (call $jsonCount (i32.const 11))) ;; LEAN_F: duration
    (if (i32.or
          (f64.eq (f64.load offset=776 (i32.const 0)) (f64.const -2))
          (i32.or (f64.eq (f64.load offset=784 (i32.const 0)) (f64.const -2))
                  (f64.eq (f64.load offset=792 (i32.const 0)) (f64.const -2))))
      (then (return (i32.const 0))))
    (f64.store offset=768 (i32.const 0) (local.get $time)) ;; LEAN_F: time key

    (local.set $start (call $jsonStart (i32.const 1)))
    (local.set $end (call $jsonEnd (i32.const 1)))
    (i32.store offset=648 (i32.const 0) (call $methodIndex (local.get $start) (local.get $end))) ;; LEAN 2: method index
    (i32.store offset=652 (i32.const 0) (local.get $start)) ;; LEAN 3: method start
    (i32.store offset=656 (i32.const 0) (local.get $end)) ;; LEAN 4: method end
    (local.set $start (call $jsonStart (i32.const 2)))
    (local.set $end (call $jsonEnd (i32.const 2)))
    (i32.store offset=660 (i32.const 0) (local.get $start)) ;; LEAN 5: path start
    (i32.store offset=664 (i32.const 0) (local.get $end)) ;; LEAN 6: path end
    (i32.store offset=708 (i32.const 0) ;; LEAN 17: path id
      (call $intern (i32.const 3) (local.get $start) (i32.sub (local.get $end) (local.get $start))))
    (i32.store offset=644 (i32.const 0) (i32.trunc_f64_u (local.get $code))) ;; LEAN 1: response code
    (i32.store offset=712 (i32.const 0) (global.get $epoch)) ;; LEAN 18: epoch
    (i32.const 1))

  ;; `readLeanJson` of the line CHUNK[at, at + n).
  (func (export "readLeanJsonAt") (param $at i32) (param $n i32) (result i32)
    (memory.copy (i32.const 1024) (i32.add (i32.const 0x110000) (local.get $at)) (local.get $n))
    (call $readLeanJson (local.get $n)))
)
