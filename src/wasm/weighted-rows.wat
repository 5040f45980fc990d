;; The rows pass of resize (see ../cpu/resize.ts, `applyTables`): one output row as a weighted sum
;; of n input rows, two outputs per f64x2 lane pair and eight per iteration.
;;
;;   out[i] = ((x_0[i] * w[0] + x_1[i] * w[1]) + x_2[i] * w[2]) + ...   for i < length
;;
;; x_k[i] is the f64 at taps[k] + 8 * i (taps: n i32 byte addresses), w: n f64 weights, out: `length`
;; f64; n >= 1. The sum runs over k in order, as the scalar loop's does. Built by scripts/build-wasm.mjs.
;;
;; The columns pass is the rows pass of the transposed intermediate (output columns become rows of
;; contiguous values), so `transpose` turns the intermediate and the result around.
(module
  (memory (export "memory") 1)
  (func (export "weighted_rows")
    (param $taps i32) (param $w i32) (param $n i32) (param $length i32) (param $out i32)
    (local $i i32) (local $end i32) (local $k i32) (local $p i32) (local $acc f64) (local $wk f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $ws v128)
    ;; $i and $end are byte offsets into every row
    (local.set $end (i32.shl (local.get $length) (i32.const 3)))

    ;; Eight outputs per iteration: four f64x2 accumulators share each weight.
    (block $done8 (loop $eight
      (br_if $done8 (i32.gt_u (i32.add (local.get $i) (i32.const 64)) (local.get $end)))
      (local.set $p (i32.add (i32.load (local.get $taps)) (local.get $i)))
      (local.set $ws (f64x2.splat (f64.load (local.get $w))))
      (local.set $a0 (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $ws)))
      (local.set $a1 (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $ws)))
      (local.set $a2 (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $ws)))
      (local.set $a3 (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $ws)))
      (local.set $k (i32.const 1))
      (block $tapsDone (loop $tap
        (br_if $tapsDone (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $p (i32.add (i32.load (i32.add (local.get $taps) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $ws (f64x2.splat (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load offset=0 (local.get $p)) (local.get $ws))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $ws))))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $ws))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $ws))))
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
      (local.set $acc (f64.mul (f64.load (i32.add (i32.load (local.get $taps)) (local.get $i))) (f64.load (local.get $w))))
      (local.set $k (i32.const 1))
      (block $tapsDone1 (loop $tap1
        (br_if $tapsDone1 (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $wk (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $p (i32.add (i32.load (i32.add (local.get $taps) (i32.shl (local.get $k) (i32.const 2)))) (local.get $i)))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (f64.load (local.get $p)) (local.get $wk))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $tap1)))
      (f64.store (i32.add (local.get $out) (local.get $i)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $one)))
  )

  ;; dst (cols x rows f64) = the transpose of src (rows x cols f64), four source rows per sweep so
  ;; that each destination row is written in runs of four.
  (func (export "transpose")
    (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $r i32) (local $c i32) (local $s i32) (local $d i32) (local $rowBytes i32) (local $dstRowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $dstRowBytes (i32.shl (local.get $rows) (i32.const 3)))
    (block $fourDone (loop $four
      (br_if $fourDone (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $col
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $cols)))
        (f64.store offset=0 (local.get $d) (f64.load (local.get $s)))
        (f64.store offset=8 (local.get $d) (f64.load (i32.add (local.get $s) (local.get $rowBytes))))
        (f64.store offset=16 (local.get $d) (f64.load (i32.add (local.get $s) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (f64.store offset=24 (local.get $d) (f64.load (i32.add (local.get $s) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (local.set $d (i32.add (local.get $d) (local.get $dstRowBytes)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $four)))
    (block $rowsDone (loop $row
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $rowBytes))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $c (i32.const 0))
      (block $colsDone1 (loop $col1
        (br_if $colsDone1 (i32.ge_u (local.get $c) (local.get $cols)))
        (f64.store (local.get $d) (f64.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (i32.const 8)))
        (local.set $d (i32.add (local.get $d) (local.get $dstRowBytes)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $col1)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))
  )

  ;; dst (count f64) = src (count bytes) as numbers, eight per iteration: the image's first copy,
  ;; cheaper here than JavaScript's conversion of a Uint8Array into a Float64Array.
  (func (export "u8_to_f64")
    (param $src i32) (param $count i32) (param $dst i32)
    (local $i i32) (local $v v128) (local $lo v128) (local $hi v128) (local $d i32)
    (block $eightDone (loop $eight
      (br_if $eightDone (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $count)))
      (local.set $v (v128.load64_zero (i32.add (local.get $src) (local.get $i))))
      (local.set $lo (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $v))))
      (local.set $hi (i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u (local.get $v))))
      (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
      (v128.store offset=0 (local.get $d) (f64x2.convert_low_i32x4_u (local.get $lo)))
      (v128.store offset=16 (local.get $d) (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $lo) (local.get $lo))))
      (v128.store offset=32 (local.get $d) (f64x2.convert_low_i32x4_u (local.get $hi)))
      (v128.store offset=48 (local.get $d) (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hi) (local.get $hi))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $eight)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (f64.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))) (f64.convert_i32_u (i32.load8_u (i32.add (local.get $src) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $one)))
  )
)
