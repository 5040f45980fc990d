;; PNG's row filters undone (spec 9.2-9.4) for one byte per pixel (8-bit gray, the X-ray case),
;; writing the image's rows without their filter bytes. Up and None take 16 bytes per iteration;
;; Sub, Average and Paeth depend on the byte just decoded, so they go one byte at a time, the
;; Paeth predictor chosen as the spec's PaethPredictor does, with selects. Bit-identical to
;; unfilterRow in ../codecs/png.ts (integer arithmetic). Built by scripts/build-wasm.mjs.
;;
;; src: height rows of 1 + width bytes (the filter type, then the filtered bytes);
;; dst: height rows of width bytes, preceded by width zero bytes (row 0's row above: the spec's
;; zeros). Returns -1, or the first row whose filter type is not 0..4 (rows before it are done).
(module
  (memory (export "memory") 1)

  (func (export "unfilter_gray8")
    (param $src i32) (param $width i32) (param $height i32) (param $dst i32) (result i32)
    (local $y i32) (local $filter i32) (local $in i32) (local $out i32) (local $up i32)
    (local $i i32) (local $a i32) (local $b i32) (local $c i32)
    (local $da i32) (local $db i32) (local $dc i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (block $allRows (loop $row
      (br_if $allRows (i32.ge_u (local.get $y) (local.get $height)))
      (local.set $in (i32.add (local.get $src) (i32.add (i32.mul (local.get $y) (i32.add (local.get $width) (i32.const 1))) (i32.const 1))))
      (local.set $out (i32.add (local.get $dst) (i32.mul (local.get $y) (local.get $width))))
      (local.set $up (i32.sub (local.get $out) (local.get $width)))
      (local.set $filter (i32.load8_u (i32.sub (local.get $in) (i32.const 1))))
      (if (i32.gt_u (local.get $filter) (i32.const 4)) (then (return (local.get $y))))
      (local.set $i (i32.const 0))
      (block $rowDone
        ;; None and Up: out = filtered + (above, or 0), 16 bytes at a time, then the tail.
        (if (i32.or (i32.eqz (local.get $filter)) (i32.eq (local.get $filter) (i32.const 2))) (then
          (if (i32.ne (local.get $filter) (i32.const 2)) (then (local.set $up (i32.const -1))))
          (block $vectorsDone (loop $vectors
            (br_if $vectorsDone (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $width)))
            (if (i32.eq (local.get $filter) (i32.const 2))
              (then (v128.store (i32.add (local.get $out) (local.get $i))
                (i8x16.add (v128.load (i32.add (local.get $in) (local.get $i))) (v128.load (i32.add (local.get $up) (local.get $i))))))
              (else (v128.store (i32.add (local.get $out) (local.get $i)) (v128.load (i32.add (local.get $in) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $vectors)))
          (block $tailDone (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $i) (local.get $width)))
            (local.set $b (i32.const 0))
            (if (i32.eq (local.get $filter) (i32.const 2)) (then (local.set $b (i32.load8_u (i32.add (local.get $up) (local.get $i))))))
            (i32.store8 (i32.add (local.get $out) (local.get $i)) (i32.add (i32.load8_u (i32.add (local.get $in) (local.get $i))) (local.get $b)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
          (br $rowDone)))
        ;; Sub, Average, Paeth: the first byte has no left neighbour (a = c = 0); one loop each, as
        ;; each byte waits for the one before it.
        (local.set $a (i32.const 0))
        (local.set $c (i32.const 0))
        (if (i32.eq (local.get $filter) (i32.const 1)) (then
          (block $subDone (loop $sub
            (br_if $subDone (i32.ge_u (local.get $i) (local.get $width)))
            (local.set $a (i32.and (i32.add (i32.load8_u (i32.add (local.get $in) (local.get $i))) (local.get $a)) (i32.const 255)))
            (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $a))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sub)))
          (br $rowDone)))
        (if (i32.eq (local.get $filter) (i32.const 3)) (then
          (block $averageDone (loop $average
            (br_if $averageDone (i32.ge_u (local.get $i) (local.get $width)))
            (local.set $a (i32.and
              (i32.add (i32.load8_u (i32.add (local.get $in) (local.get $i)))
                (i32.shr_u (i32.add (local.get $a) (i32.load8_u (i32.add (local.get $up) (local.get $i)))) (i32.const 1)))
              (i32.const 255)))
            (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $a))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $average)))
          (br $rowDone)))
        ;; Paeth: with d = b - c and x = a - c, pa = |d|, pb = |x|, pc = |x + d|; the predictor is a
        ;; if pa <= pb and pa <= pc, else b if pb <= pc, else c. Only x and what follows wait for a.
        (block $paethDone (loop $paeth
          (br_if $paethDone (i32.ge_u (local.get $i) (local.get $width)))
          (local.set $b (i32.load8_u (i32.add (local.get $up) (local.get $i))))
          (local.set $da (i32.sub (local.get $b) (local.get $c)))
          (local.set $pa (select (local.get $da) (i32.sub (i32.const 0) (local.get $da)) (i32.ge_s (local.get $da) (i32.const 0))))
          (local.set $db (i32.sub (local.get $a) (local.get $c)))
          (local.set $pb (select (local.get $db) (i32.sub (i32.const 0) (local.get $db)) (i32.ge_s (local.get $db) (i32.const 0))))
          (local.set $dc (i32.add (local.get $db) (local.get $da)))
          (local.set $pc (select (local.get $dc) (i32.sub (i32.const 0) (local.get $dc)) (i32.ge_s (local.get $dc) (i32.const 0))))
          (local.set $a (i32.and
            (i32.add (i32.load8_u (i32.add (local.get $in) (local.get $i)))
              (select (local.get $a)
                (select (local.get $b) (local.get $c) (i32.le_s (local.get $pb) (local.get $pc)))
                (i32.and (i32.le_s (local.get $pa) (local.get $pb)) (i32.le_s (local.get $pa) (local.get $pc)))))
            (i32.const 255)))
          (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $a))
          (local.set $c (local.get $b))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $paeth))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $row)))
    (i32.const -1))
)
