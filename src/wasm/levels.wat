;; The batch's 8-bit levels path in WebAssembly SIMD, two f64 lanes at a time and bit-identical to
;; the scalar TypeScript (../cpu/fast/levels.ts, ../cpu/fast/edge-levels.ts): the same operations
;; in the same order, sqrt correctly rounded in both. Built by scripts/build-wasm.mjs.
(module
  (memory (export "memory") 1)

  ;; The largest double below 0.5 (0.5 - 2^-54), which x + 0.5 rounds up to 1: see roundNonNegative.
  (global $justBelowHalf f64 (f64.const 0x1.fffffffffffffp-2))

  ;; One output row of the fused 3x3 edge magnitude sqrt(d0^2 + d1^2) (fusedMagnitude in
  ;; edge-levels.ts): above/middle/below are padded rows of width + 2 f64 (one pixel each side), out
  ;; gets width f64, and the f64 pair at `range` (min, max) takes in the row's values.
  (func (export "edge_magnitude_row")
    (param $above i32) (param $middle i32) (param $below i32) (param $width i32) (param $out i32)
    (param $s0 f64) (param $s1 f64) (param $s2 f64) (param $range i32)
    (local $x i32) (local $end i32) (local $d0 f64) (local $d1 f64) (local $m f64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $vd0 v128) (local $vd1 v128) (local $vm v128)
    (local $low v128) (local $high v128) (local $min f64) (local $max f64)
    (local.set $v0 (f64x2.splat (local.get $s0)))
    (local.set $v1 (f64x2.splat (local.get $s1)))
    (local.set $v2 (f64x2.splat (local.get $s2)))
    (local.set $low (f64x2.splat (f64.load (local.get $range))))
    (local.set $high (f64x2.splat (f64.load offset=8 (local.get $range))))
    (local.set $end (i32.shl (local.get $width) (i32.const 3)))
    ;; $x: byte offset of the output pixel; its padded neighbours are at x (left), x + 8, x + 16.
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_u (i32.add (local.get $x) (i32.const 16)) (local.get $end)))
      (local.set $vd0
        (f64x2.add
          (f64x2.add
            (f64x2.mul (local.get $v0) (f64x2.sub (v128.load (i32.add (local.get $below) (local.get $x))) (v128.load (i32.add (local.get $above) (local.get $x)))))
            (f64x2.mul (local.get $v1) (f64x2.sub (v128.load offset=8 (i32.add (local.get $below) (local.get $x))) (v128.load offset=8 (i32.add (local.get $above) (local.get $x))))))
          (f64x2.mul (local.get $v2) (f64x2.sub (v128.load offset=16 (i32.add (local.get $below) (local.get $x))) (v128.load offset=16 (i32.add (local.get $above) (local.get $x)))))))
      (local.set $vd1
        (f64x2.add
          (f64x2.add
            (f64x2.mul (local.get $v0) (f64x2.sub (v128.load offset=16 (i32.add (local.get $above) (local.get $x))) (v128.load (i32.add (local.get $above) (local.get $x)))))
            (f64x2.mul (local.get $v1) (f64x2.sub (v128.load offset=16 (i32.add (local.get $middle) (local.get $x))) (v128.load (i32.add (local.get $middle) (local.get $x))))))
          (f64x2.mul (local.get $v2) (f64x2.sub (v128.load offset=16 (i32.add (local.get $below) (local.get $x))) (v128.load (i32.add (local.get $below) (local.get $x)))))))
      (local.set $vm (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $vd0) (local.get $vd0)) (f64x2.mul (local.get $vd1) (local.get $vd1)))))
      (v128.store (i32.add (local.get $out) (local.get $x)) (local.get $vm))
      (local.set $low (f64x2.min (local.get $low) (local.get $vm)))
      (local.set $high (f64x2.max (local.get $high) (local.get $vm)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $pairs)))
    (local.set $min (f64.min (f64x2.extract_lane 0 (local.get $low)) (f64x2.extract_lane 1 (local.get $low))))
    (local.set $max (f64.max (f64x2.extract_lane 0 (local.get $high)) (f64x2.extract_lane 1 (local.get $high))))
    ;; An odd width's last pixel.
    (if (i32.lt_u (local.get $x) (local.get $end)) (then
      (local.set $d0
        (f64.add
          (f64.add
            (f64.mul (local.get $s0) (f64.sub (f64.load (i32.add (local.get $below) (local.get $x))) (f64.load (i32.add (local.get $above) (local.get $x)))))
            (f64.mul (local.get $s1) (f64.sub (f64.load offset=8 (i32.add (local.get $below) (local.get $x))) (f64.load offset=8 (i32.add (local.get $above) (local.get $x))))))
          (f64.mul (local.get $s2) (f64.sub (f64.load offset=16 (i32.add (local.get $below) (local.get $x))) (f64.load offset=16 (i32.add (local.get $above) (local.get $x)))))))
      (local.set $d1
        (f64.add
          (f64.add
            (f64.mul (local.get $s0) (f64.sub (f64.load offset=16 (i32.add (local.get $above) (local.get $x))) (f64.load (i32.add (local.get $above) (local.get $x)))))
            (f64.mul (local.get $s1) (f64.sub (f64.load offset=16 (i32.add (local.get $middle) (local.get $x))) (f64.load (i32.add (local.get $middle) (local.get $x))))))
          (f64.mul (local.get $s2) (f64.sub (f64.load offset=16 (i32.add (local.get $below) (local.get $x))) (f64.load (i32.add (local.get $below) (local.get $x)))))))
      (local.set $m (f64.sqrt (f64.add (f64.mul (local.get $d0) (local.get $d0)) (f64.mul (local.get $d1) (local.get $d1)))))
      (f64.store (i32.add (local.get $out) (local.get $x)) (local.get $m))
      (local.set $min (f64.min (local.get $min) (local.get $m)))
      (local.set $max (f64.max (local.get $max) (local.get $m)))))
    (f64.store (local.get $range) (local.get $min))
    (f64.store offset=8 (local.get $range) (local.get $max)))

  ;; out[i] = round((src[i] - min) * scale) as a byte, for finite values that scale into 0 .. 255:
  ;; truncate(x + 0.5), less one where x is 0.5 - 2^-54 (scaleToLevels' roundNonNegative).
  (func (export "scale_levels") (param $src i32) (param $count i32) (param $min f64) (param $scale f64) (param $out i32)
    (local $i i32) (local $x f64) (local $vmin v128) (local $vscale v128) (local $half v128) (local $jbh v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $p i32)
    (local.set $vmin (f64x2.splat (local.get $min)))
    (local.set $vscale (f64x2.splat (local.get $scale)))
    (local.set $half (f64x2.splat (f64.const 0.5)))
    (local.set $jbh (f64x2.splat (global.get $justBelowHalf)))
    ;; Eight values per iteration: four pairs, each rounded to two i32 lanes, packed into 8 bytes.
    (block $eightsDone (loop $eights
      (br_if $eightsDone (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $count)))
      (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $r0 (call $round2 (v128.load offset=0 (local.get $p)) (local.get $vmin) (local.get $vscale) (local.get $half) (local.get $jbh)))
      (local.set $r1 (call $round2 (v128.load offset=16 (local.get $p)) (local.get $vmin) (local.get $vscale) (local.get $half) (local.get $jbh)))
      (local.set $r2 (call $round2 (v128.load offset=32 (local.get $p)) (local.get $vmin) (local.get $vscale) (local.get $half) (local.get $jbh)))
      (local.set $r3 (call $round2 (v128.load offset=48 (local.get $p)) (local.get $vmin) (local.get $vscale) (local.get $half) (local.get $jbh)))
      ;; lanes 0-1 of each hold the results: gather them as i32 x 4 twice, then narrow twice.
      (v128.store64_lane 0 (i32.add (local.get $out) (local.get $i))
        (i8x16.narrow_i16x8_u
          (i16x8.narrow_i32x4_s
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r2) (local.get $r3)))
          (local.get $r0)))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $eights)))
    (block $onesDone (loop $ones
      (br_if $onesDone (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $x (f64.mul (f64.sub (f64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))) (local.get $min)) (local.get $scale)))
      (i32.store8 (i32.add (local.get $out) (local.get $i))
        (i32.sub (i32.trunc_sat_f64_s (f64.add (local.get $x) (f64.const 0.5))) (f64.eq (local.get $x) (global.get $justBelowHalf))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $ones))))

  ;; Two values rounded as scale_levels does, in i32 lanes 0 and 1.
  (func $round2 (param $v v128) (param $vmin v128) (param $vscale v128) (param $half v128) (param $jbh v128) (result v128)
    (local $x v128)
    (local.set $x (f64x2.mul (f64x2.sub (local.get $v) (local.get $vmin)) (local.get $vscale)))
    ;; the f64 equality mask is all ones (-1) per lane; its low i32s, lanes 0 and 2, move to 0 and 1.
    (i32x4.add
      (i32x4.trunc_sat_f64x2_s_zero (f64x2.add (local.get $x) (local.get $half)))
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 16 17 18 19 (f64x2.eq (local.get $x) (local.get $jbh)) (v128.const i32x4 0 0 0 0))))
;; The smallest and largest of `count` bytes at `data`, stored as two bytes at `result`.
  (func (export "u8_range") (param $data i32) (param $count i32) (param $result i32)
    (local $i i32) (local $low v128) (local $high v128) (local $v v128) (local $min i32) (local $max i32) (local $b i32)
    (local.set $low (i8x16.splat (i32.const 255)))
    (block $vectorsDone (loop $vectors
      (br_if $vectorsDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $count)))
      (local.set $v (v128.load (i32.add (local.get $data) (local.get $i))))
      (local.set $low (i8x16.min_u (local.get $low) (local.get $v)))
      (local.set $high (i8x16.max_u (local.get $high) (local.get $v)))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $vectors)))
    ;; Fold the lanes: halve the vector four times.
    (local.set $low (i8x16.min_u (local.get $low) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $low) (local.get $low))))
    (local.set $low (i8x16.min_u (local.get $low) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $low) (local.get $low))))
    (local.set $low (i8x16.min_u (local.get $low) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $low) (local.get $low))))
    (local.set $low (i8x16.min_u (local.get $low) (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $low) (local.get $low))))
    (local.set $high (i8x16.max_u (local.get $high) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $high) (local.get $high))))
    (local.set $high (i8x16.max_u (local.get $high) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $high) (local.get $high))))
    (local.set $high (i8x16.max_u (local.get $high) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $high) (local.get $high))))
    (local.set $high (i8x16.max_u (local.get $high) (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $high) (local.get $high))))
    (local.set $min (i8x16.extract_lane_u 0 (local.get $low)))
    (local.set $max (i8x16.extract_lane_u 0 (local.get $high)))
    (block $bytesDone (loop $bytes
      (br_if $bytesDone (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $b (i32.load8_u (i32.add (local.get $data) (local.get $i))))
      (local.set $min (select (local.get $b) (local.get $min) (i32.lt_u (local.get $b) (local.get $min))))
      (local.set $max (select (local.get $b) (local.get $max) (i32.gt_u (local.get $b) (local.get $max))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $bytes)))
    (i32.store8 (local.get $result) (local.get $min))
    (i32.store8 offset=1 (local.get $result) (local.get $max)))

  ;; out[i] = table[data[i]] for `count` bytes (table: 256 bytes), four per iteration.
  (func (export "lookup_u8") (param $data i32) (param $count i32) (param $table i32) (param $out i32)
    (local $i i32) (local $end4 i32) (local $word i32)
    (local.set $end4 (i32.and (local.get $count) (i32.const -4)))
    (block $wordsDone (loop $words
      (br_if $wordsDone (i32.ge_u (local.get $i) (local.get $end4)))
      (local.set $word (i32.load (i32.add (local.get $data) (local.get $i))))
      (i32.store (i32.add (local.get $out) (local.get $i))
        (i32.or
          (i32.or
            (i32.load8_u (i32.add (local.get $table) (i32.and (local.get $word) (i32.const 255))))
            (i32.shl (i32.load8_u (i32.add (local.get $table) (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255)))) (i32.const 8)))
          (i32.or
            (i32.shl (i32.load8_u (i32.add (local.get $table) (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 255)))) (i32.const 16))
            (i32.shl (i32.load8_u (i32.add (local.get $table) (i32.shr_u (local.get $word) (i32.const 24)))) (i32.const 24)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $words)))
    (block $bytesDone (loop $bytes
      (br_if $bytesDone (i32.ge_u (local.get $i) (local.get $count)))
      (i32.store8 (i32.add (local.get $out) (local.get $i)) (i32.load8_u (i32.add (local.get $table) (i32.load8_u (i32.add (local.get $data) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $bytes))))
;; The smallest and largest finite value of `count` f64 at `src` and how many are not finite
  ;; (finiteRange in ../cpu/fast/levels.ts), stored as three f64 at `result`: min, max, count. Where
  ;; +0 and -0 tie, the one kept may differ from the scalar scan's; levels are the same either way.
  (func (export "f64_range") (param $src i32) (param $count i32) (param $result i32)
    (local $i i32) (local $p i32) (local $v v128) (local $finite v128) (local $low v128) (local $high v128)
    (local $finiteCount v128) (local $x f64) (local $min f64) (local $max f64) (local $finiteTotal i64)
    (local.set $low (f64x2.splat (f64.const inf)))
    (local.set $high (f64x2.splat (f64.const -inf)))
    (block $pairsDone (loop $pairs
      (br_if $pairsDone (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $count)))
      (local.set $v (v128.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
      ;; v - v is 0 for finite values, NaN for NaN and infinities: all ones per finite lane.
      (local.set $finite (f64x2.eq (f64x2.sub (local.get $v) (local.get $v)) (f64x2.splat (f64.const 0))))
      (local.set $low (f64x2.min (local.get $low) (v128.bitselect (local.get $v) (f64x2.splat (f64.const inf)) (local.get $finite))))
      (local.set $high (f64x2.max (local.get $high) (v128.bitselect (local.get $v) (f64x2.splat (f64.const -inf)) (local.get $finite))))
      ;; all ones is -1: subtracting counts the finite lanes
      (local.set $finiteCount (i64x2.sub (local.get $finiteCount) (local.get $finite)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $pairs)))
    (local.set $min (f64.min (f64x2.extract_lane 0 (local.get $low)) (f64x2.extract_lane 1 (local.get $low))))
    (local.set $max (f64.max (f64x2.extract_lane 0 (local.get $high)) (f64x2.extract_lane 1 (local.get $high))))
    (local.set $finiteTotal (i64.add (i64x2.extract_lane 0 (local.get $finiteCount)) (i64x2.extract_lane 1 (local.get $finiteCount))))
    ;; An odd count's last value.
    (if (i32.lt_u (local.get $i) (local.get $count)) (then
      (local.set $x (f64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
      (if (f64.eq (f64.sub (local.get $x) (local.get $x)) (f64.const 0)) (then
        (local.set $min (f64.min (local.get $min) (local.get $x)))
        (local.set $max (f64.max (local.get $max) (local.get $x)))
        (local.set $finiteTotal (i64.add (local.get $finiteTotal) (i64.const 1)))))))
    (f64.store (local.get $result) (local.get $min))
    (f64.store offset=8 (local.get $result) (local.get $max))
    (f64.store offset=16 (local.get $result) (f64.convert_i64_s (i64.sub (i64.extend_i32_u (local.get $count)) (local.get $finiteTotal)))))
)
