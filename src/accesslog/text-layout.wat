;; The tokenizer of `text-layout.ts` as WebAssembly: the same function, `layoutText`, over the bytes of
;; an ASCII line, ~4x faster than the same work in JavaScript on the benchmark machine (SIMD search
;; instead of one `indexOf` call per token). Built into `text-layout-wasm.ts` by `npm run build:wasm`; a
;; test checks that the committed bytes are this file's, and another that both tokenizers agree.
;;
;; Memory (offsets in bytes), shared with JavaScript through typed-array views:
;;   0 .. 256   STARTS   i32 × 64   token starts (inclusive)
;;   256 .. 512 ENDS     i32 × 64   token ends (exclusive)
;;   512 .. 576 QUOTED   u8 × 64    1 when the token was quoted
;;   576 .. 596 LAYOUT   i32 × 5    close, reqStart, reqEnd, count, run (see `layout` in text-layout.ts)
;;   1024 ..    LINE     the line's bytes; offsets below are relative to LINE (the `offset=1024` of loads)
;; The caller writes at most LINE_CAPACITY bytes, so 16-byte loads past the end of a line stay in memory.
(module
  (memory (export "memory") 17)

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

  ;; Splits line[from, n) on spaces outside quotes into STARTS/ENDS/QUOTED; the count, or -1 if malformed.
  (func $tokenize (param $i i32) (param $n i32) (result i32)
    (local $count i32)
    (local $c i32)
    (local $j i32)
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

  (func $quoted (param $k i32) (result i32)
    (i32.load8_u offset=512 (local.get $k)))

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

  ;; Whether token k is exactly `-` or an integer.
  (func $isIntOrDash (param $k i32) (result i32)
    (local $start i32)
    (local.set $start (i32.load (i32.shl (local.get $k) (i32.const 2))))
    (if (i32.and
          (i32.eq (i32.sub (i32.load offset=256 (i32.shl (local.get $k) (i32.const 2))) (local.get $start))
                  (i32.const 1))
          (i32.eq (i32.load8_u offset=1024 (local.get $start)) (i32.const 45)))
      (then (return (i32.const 1))))
    (call $isInt (local.get $k)))

  ;; `layoutText` of text-layout.ts over line[0, n): LAID_OUT (with LAYOUT and the tokens written),
  ;; NOT_ACCESS_LOG or MALFORMED.
  (func (export "layoutText") (param $n i32) (result i32)
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
        (if (i32.and
              (i32.and
                (i32.and (call $quoted (local.get $k)) (call $quoted (i32.add (local.get $k) (i32.const 1))))
                (i32.and (call $quoted (i32.add (local.get $k) (i32.const 2)))
                         (call $quoted (i32.add (local.get $k) (i32.const 3)))))
              (i32.and
                (call $quoted (i32.add (local.get $k) (i32.const 4)))
                (i32.eqz (i32.or
                  (i32.or (call $quoted (i32.sub (local.get $k) (i32.const 1)))
                          (call $quoted (i32.sub (local.get $k) (i32.const 2))))
                  (i32.or (call $quoted (i32.sub (local.get $k) (i32.const 3)))
                          (call $quoted (i32.sub (local.get $k) (i32.const 4))))))))
          (then
            (local.set $run (local.get $k))
            (br $found)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (if (i32.lt_s (local.get $run) (i32.const 0)) (then (return (global.get $MALFORMED))))
    (if (i32.or (call $quoted (i32.const 0)) (call $quoted (i32.const 1))) (then (return (global.get $MALFORMED))))
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
)
