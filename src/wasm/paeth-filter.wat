;; PNG's Paeth filter (spec 9.4) on rows of 8-bit samples, 16 bytes per iteration: the predictor is
;; chosen in i16 lanes (|p - a| etc. reach 510) and the filtered byte is value - predictor mod 256.
;; Bit-identical to paethFilterScalar in ../io/paeth-filter.ts. Built by scripts/build-wasm.mjs.
;;
;; data: height rows of rowBytes bytes, preceded by rowBytes zero bytes (row 0's row above: the
;; spec's zeros); bpp: bytes per pixel (1 gray, 4 RGBA), the distance to the byte on the left;
;; out: height rows of 1 + rowBytes bytes, each the filter type 4 then the filtered bytes.
(module
  (memory (export "memory") 1)

  ;; The Paeth predictor of one pixel: a left, b above, c above-left.
  (func $predict (param $a i32) (param $b i32) (param $c i32) (result i32)
    (local $da i32) (local $db i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local.set $da (i32.sub (local.get $b) (local.get $c)))   ;; p - a
    (local.set $db (i32.sub (local.get $a) (local.get $c)))   ;; p - b
    (local.set $pa (select (local.get $da) (i32.sub (i32.const 0) (local.get $da)) (i32.ge_s (local.get $da) (i32.const 0))))
    (local.set $pb (select (local.get $db) (i32.sub (i32.const 0) (local.get $db)) (i32.ge_s (local.get $db) (i32.const 0))))
    (local.set $pc (i32.add (local.get $da) (local.get $db)))  ;; p - c
    (local.set $pc (select (local.get $pc) (i32.sub (i32.const 0) (local.get $pc)) (i32.ge_s (local.get $pc) (i32.const 0))))
    (select (local.get $a)
      (select (local.get $b) (local.get $c) (i32.le_s (local.get $pb) (local.get $pc)))
      (i32.and (i32.le_s (local.get $pa) (local.get $pb)) (i32.le_s (local.get $pa) (local.get $pc)))))

  ;; The same on eight i16 lanes.
  (func $predict8 (param $a v128) (param $b v128) (param $c v128) (result v128)
    (local $da v128) (local $db v128) (local $pa v128) (local $pb v128) (local $pc v128)
    (local.set $da (i16x8.sub (local.get $b) (local.get $c)))
    (local.set $db (i16x8.sub (local.get $a) (local.get $c)))
    (local.set $pa (i16x8.abs (local.get $da)))
    (local.set $pb (i16x8.abs (local.get $db)))
    (local.set $pc (i16x8.abs (i16x8.add (local.get $da) (local.get $db))))
    (v128.bitselect (local.get $a)
      (v128.bitselect (local.get $b) (local.get $c) (i16x8.le_s (local.get $pb) (local.get $pc)))
      (v128.and (i16x8.le_s (local.get $pa) (local.get $pb)) (i16x8.le_s (local.get $pa) (local.get $pc)))))

  (func (export "paeth_filter") (param $data i32) (param $rowBytes i32) (param $height i32) (param $bpp i32) (param $out i32)
    (local $y i32) (local $x i32) (local $row i32) (local $above i32) (local $o i32)
    (local $a v128) (local $b v128) (local $c v128)
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $height)))
      (local.set $row (i32.add (local.get $data) (i32.mul (local.get $y) (local.get $rowBytes))))
      (local.set $above (i32.sub (local.get $row) (local.get $rowBytes)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $y) (i32.add (local.get $rowBytes) (i32.const 1)))))
      (i32.store8 (local.get $o) (i32.const 4))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (local.set $x (i32.const 0))
      ;; The first pixel: a = c = 0, so Paeth predicts b.
      (block $firstDone (loop $first
        (br_if $firstDone (i32.ge_u (local.get $x) (select (local.get $bpp) (local.get $rowBytes) (i32.lt_u (local.get $bpp) (local.get $rowBytes)))))
        (i32.store8 (i32.add (local.get $o) (local.get $x))
          (i32.sub (i32.load8_u (i32.add (local.get $row) (local.get $x))) (i32.load8_u (i32.add (local.get $above) (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $first)))
      (block $vectorsDone (loop $vectors
        (br_if $vectorsDone (i32.gt_u (i32.add (local.get $x) (i32.const 16)) (local.get $rowBytes)))
        (local.set $a (v128.load (i32.add (local.get $row) (i32.sub (local.get $x) (local.get $bpp)))))
        (local.set $b (v128.load (i32.add (local.get $above) (local.get $x))))
        (local.set $c (v128.load (i32.add (local.get $above) (i32.sub (local.get $x) (local.get $bpp)))))
        (v128.store (i32.add (local.get $o) (local.get $x))
          (i8x16.sub
            (v128.load (i32.add (local.get $row) (local.get $x)))
            (i8x16.narrow_i16x8_u
              (call $predict8 (i16x8.extend_low_i8x16_u (local.get $a)) (i16x8.extend_low_i8x16_u (local.get $b)) (i16x8.extend_low_i8x16_u (local.get $c)))
              (call $predict8 (i16x8.extend_high_i8x16_u (local.get $a)) (i16x8.extend_high_i8x16_u (local.get $b)) (i16x8.extend_high_i8x16_u (local.get $c))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $vectors)))
      (block $pixelsDone (loop $pixels
        (br_if $pixelsDone (i32.ge_u (local.get $x) (local.get $rowBytes)))
        (i32.store8 (i32.add (local.get $o) (local.get $x))
          (i32.sub
            (i32.load8_u (i32.add (local.get $row) (local.get $x)))
            (call $predict
              (i32.load8_u (i32.add (local.get $row) (i32.sub (local.get $x) (local.get $bpp))))
              (i32.load8_u (i32.add (local.get $above) (local.get $x)))
              (i32.load8_u (i32.add (local.get $above) (i32.sub (local.get $x) (local.get $bpp)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $pixels)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rows)))
  )
)
