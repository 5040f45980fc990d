;; The inner loop of correlate1d (see ../correlate.ts, `correlateSpan`) for symmetric and
;; antisymmetric kernels, two outputs per f64x2 lane pair and eight per iteration, in exactly
;; NI_Correlate1D's order of floating-point operations, so results are bit-identical to the
;; scalar loop's: wasm has no fused multiply-add, and p + (-1 * q) is exactly p - q.
;;
;;   out[i] = x_c[i] * w[half] + sum_{k = 0 .. half-1} (x_k[i] + sign * x_{n-1-k}[i]) * w[k]
;;
;; with n = 2 * half + 1 taps; x_k[i] is the f64 at taps[k] + 8 * i (taps: n i32 byte addresses),
;; w: n f64 weights, out: `length` f64. Built by scripts/build-wasm.mjs.
(module
  (memory (export "memory") 1)
  (func (export "correlate_span")
    (param $taps i32) (param $w i32) (param $half i32) (param $sign f64) (param $length i32) (param $out i32)
    (local $i i32) (local $end i32) (local $k i32) (local $p i32) (local $q i32)
    (local $centre i32) (local $lastTap i32) (local $acc f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $wk v128) (local $signs v128) (local $w0 v128)
    (local.set $signs (f64x2.splat (local.get $sign)))
    (local.set $w0 (f64x2.splat (f64.load (i32.add (local.get $w) (i32.shl (local.get $half) (i32.const 3))))))
    (local.set $centre (i32.load (i32.add (local.get $taps) (i32.shl (local.get $half) (i32.const 2)))))
    ;; byte address of taps[n - 1]
    (local.set $lastTap (i32.add (local.get $taps) (i32.shl (local.get $half) (i32.const 3))))
    ;; $i and $end are byte offsets into every line
    (local.set $end (i32.shl (local.get $length) (i32.const 3)))

    ;; Eight outputs per iteration: four f64x2 accumulators share each weight.
    (block $done8 (loop $eight
      (br_if $done8 (i32.gt_u (i32.add (local.get $i) (i32.const 64)) (local.get $end)))
      (local.set $p (i32.add (local.get $centre) (local.get $i)))
      (local.set $a0 (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $w0)))
      (local.set $a1 (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $w0)))
      (local.set $a2 (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $w0)))
      (local.set $a3 (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $w0)))
      (local.set $k (i32.const 0))
      (block $tapsDone (loop $tap
        (br_if $tapsDone (i32.ge_u (local.get $k) (local.get $half)))
        (local.set $p (i32.add (i32.load (i32.add (local.get $taps) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $q (i32.add (i32.load (i32.sub (local.get $lastTap) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $wk (f64x2.splat (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (f64x2.add (v128.load offset=0 (local.get $p)) (f64x2.mul (v128.load offset=0 (local.get $q)) (local.get $signs))) (local.get $wk))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (f64x2.add (v128.load offset=16 (local.get $p)) (f64x2.mul (v128.load offset=16 (local.get $q)) (local.get $signs))) (local.get $wk))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (f64x2.add (v128.load offset=32 (local.get $p)) (f64x2.mul (v128.load offset=32 (local.get $q)) (local.get $signs))) (local.get $wk))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (f64x2.add (v128.load offset=48 (local.get $p)) (f64x2.mul (v128.load offset=48 (local.get $q)) (local.get $signs))) (local.get $wk))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tap)))
      (local.set $p (i32.add (local.get $out) (local.get $i)))
      (v128.store offset=0 (local.get $p) (local.get $a0))
      (v128.store offset=16 (local.get $p) (local.get $a1))
      (v128.store offset=32 (local.get $p) (local.get $a2))
      (v128.store offset=48 (local.get $p) (local.get $a3))
      (local.set $i (i32.add (local.get $i) (i32.const 64)))
      (br $eight)))

    ;; The last length % 8 outputs one at a time, with the same operations in scalar form.
    (block $done1 (loop $one
      (br_if $done1 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $acc (f64.mul (f64.load (i32.add (local.get $centre) (local.get $i))) (f64x2.extract_lane 0 (local.get $w0))))
      (local.set $k (i32.const 0))
      (block $tapsDone1 (loop $tap1
        (br_if $tapsDone1 (i32.ge_u (local.get $k) (local.get $half)))
        (local.set $p (i32.add (i32.load (i32.add (local.get $taps) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $q (i32.add (i32.load (i32.sub (local.get $lastTap) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $acc (f64.add (local.get $acc)
          (f64.mul (f64.add (f64.load (local.get $p)) (f64.mul (f64.load (local.get $q)) (local.get $sign)))
                   (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tap1)))
      (f64.store (i32.add (local.get $out) (local.get $i)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $one)))
  )
)
