;; The float32 matrix product behind the kit's wasm-backend BatchMatMul/_FusedMatMul (lesson 01:
;; Chollet's first network, Dense(512, relu) -> Dense(10, softmax), trains through it). Runtime room:
;; not needed to understand the maths. `threaded-matmul.ts` copies the operands into this module's
;; shared memory and calls `gemm` on several threads, each on its own blocks of rows of C.
;;
;;   C[i, :] = bias + sum over k of A[i, k] * B[k, :]      (then max(., 0) when relu = 1)
;;
;; for the rows i = r0 .. r1-1 of one block (at most 16 rows), in two passes:
;;   1. gather, for each row i of the block, the non-zero A[i, k] as pairs (A[i, k], address of row k
;;      of B): MNIST pixels and ReLU outputs are mostly zeros, and a zero adds nothing to C[i, :];
;;   2. for each strip of 32 columns (8 SIMD registers of 4 float32), then of 16, then of 4, and each row
;;      of the block: start the registers from the bias, run over the row's pairs in order of k
;;          acc += A[i, k] * B[k, j .. j+31]
;;      and store them into C once. The block's rows share the strip of B while it is in the cache.
;; Each C[i, j] is thus bias[j] + a1*b1 + a2*b2 + ... added left to right in float32: the same sum as
;; any other order within float32 rounding, and the same whichever thread computes the row. Skipping
;; zeros changes nothing except that 0 * Inf and 0 * NaN count as 0 rather than NaN.
;;
;; Addresses and strides are in bytes. A is read with two steps (aRow, aCol), so a stored Aᵀ is read
;; in place (aRow = 4, aCol = 4 * rows of Aᵀ). B and C rows hold n4 columns (a multiple of 4; the
;; caller pads B and the bias with zeros). `pairs` is this thread's scratch: 16 counts, then one list
;; of up to K pairs (8 bytes each) per row of the block.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $gemm (export "gemm")
    (param $a i32) (param $aRow i32) (param $aCol i32)
    (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32)
    (param $bias i32) (param $relu i32)
    (param $K i32) (param $n4 i32)
    (param $r0 i32) (param $r1 i32) (param $pairs i32)
    (local $t i32) (local $rows i32) (local $k i32) (local $n i32) (local $pa i32) (local $pb i32)
    (local $list i32) (local $p i32) (local $end i32) (local $j i32) (local $width i32) (local $q i32)
    (local $out i32) (local $v f32) (local $s v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)

    (local.set $rows (i32.sub (local.get $r1) (local.get $r0)))
    (local.set $width (i32.shl (local.get $n4) (i32.const 2)))

    ;; 1. the non-zero entries of each row of the block
    (local.set $t (i32.const 0))
    (block $gathered
      (loop $row
        (br_if $gathered (i32.ge_u (local.get $t) (local.get $rows)))
        (local.set $pa (i32.add (local.get $a) (i32.mul (i32.add (local.get $r0) (local.get $t)) (local.get $aRow))))
        (local.set $pb (local.get $b))
        (local.set $list (i32.add (i32.add (local.get $pairs) (i32.const 64))
                                  (i32.mul (local.get $t) (i32.shl (local.get $K) (i32.const 3)))))
        (local.set $p (local.get $list))
        (local.set $k (i32.const 0))
        (block $scanned
          (loop $entry
            (br_if $scanned (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $v (f32.load (local.get $pa)))
            (if (f32.ne (local.get $v) (f32.const 0))
              (then
                (f32.store (local.get $p) (local.get $v))
                (i32.store offset=4 (local.get $p) (local.get $pb))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
            (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $entry)))
        (i32.store (i32.add (local.get $pairs) (i32.shl (local.get $t) (i32.const 2)))
                   (i32.shr_u (i32.sub (local.get $p) (local.get $list)) (i32.const 3)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $row)))

    ;; 2a. strips of 32 columns
    (local.set $j (i32.const 0))
    (block $wide_done
      (loop $strip
        (br_if $wide_done (i32.gt_u (i32.add (local.get $j) (i32.const 128)) (local.get $width)))
        (local.set $t (i32.const 0))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $t) (local.get $rows)))
            (local.set $q (i32.add (local.get $bias) (local.get $j)))
            (local.set $c0 (v128.load offset=0 (local.get $q)))
            (local.set $c1 (v128.load offset=16 (local.get $q)))
            (local.set $c2 (v128.load offset=32 (local.get $q)))
            (local.set $c3 (v128.load offset=48 (local.get $q)))
            (local.set $c4 (v128.load offset=64 (local.get $q)))
            (local.set $c5 (v128.load offset=80 (local.get $q)))
            (local.set $c6 (v128.load offset=96 (local.get $q)))
            (local.set $c7 (v128.load offset=112 (local.get $q)))
            (local.set $p (i32.add (i32.add (local.get $pairs) (i32.const 64))
                                   (i32.mul (local.get $t) (i32.shl (local.get $K) (i32.const 3)))))
            (local.set $end (i32.add (local.get $p)
                                     (i32.shl (i32.load (i32.add (local.get $pairs) (i32.shl (local.get $t) (i32.const 2))))
                                              (i32.const 3))))
            (block $pairs_done
              (loop $pair
                (br_if $pairs_done (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $s (f32x4.splat (f32.load (local.get $p))))
                (local.set $q (i32.add (i32.load offset=4 (local.get $p)) (local.get $j)))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $q)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $q)))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $q)))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $q)))))
                (local.set $c4 (f32x4.add (local.get $c4) (f32x4.mul (local.get $s) (v128.load offset=64 (local.get $q)))))
                (local.set $c5 (f32x4.add (local.get $c5) (f32x4.mul (local.get $s) (v128.load offset=80 (local.get $q)))))
                (local.set $c6 (f32x4.add (local.get $c6) (f32x4.mul (local.get $s) (v128.load offset=96 (local.get $q)))))
                (local.set $c7 (f32x4.add (local.get $c7) (f32x4.mul (local.get $s) (v128.load offset=112 (local.get $q)))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $pair)))
            (if (local.get $relu)
              (then
                (local.set $s (f32x4.splat (f32.const 0)))
                (local.set $c0 (f32x4.max (local.get $c0) (local.get $s)))
                (local.set $c1 (f32x4.max (local.get $c1) (local.get $s)))
                (local.set $c2 (f32x4.max (local.get $c2) (local.get $s)))
                (local.set $c3 (f32x4.max (local.get $c3) (local.get $s)))
                (local.set $c4 (f32x4.max (local.get $c4) (local.get $s)))
                (local.set $c5 (f32x4.max (local.get $c5) (local.get $s)))
                (local.set $c6 (f32x4.max (local.get $c6) (local.get $s)))
                (local.set $c7 (f32x4.max (local.get $c7) (local.get $s)))))
            (local.set $out (i32.add (i32.add (local.get $c) (i32.mul (i32.add (local.get $r0) (local.get $t)) (local.get $ldc)))
                                     (local.get $j)))
            (v128.store offset=0 (local.get $out) (local.get $c0))
            (v128.store offset=16 (local.get $out) (local.get $c1))
            (v128.store offset=32 (local.get $out) (local.get $c2))
            (v128.store offset=48 (local.get $out) (local.get $c3))
            (v128.store offset=64 (local.get $out) (local.get $c4))
            (v128.store offset=80 (local.get $out) (local.get $c5))
            (v128.store offset=96 (local.get $out) (local.get $c6))
            (v128.store offset=112 (local.get $out) (local.get $c7))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 128)))
        (br $strip)))

    ;; 2b. strips of 16 columns
    (block $mid_done
      (loop $strip
        (br_if $mid_done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $width)))
        (local.set $t (i32.const 0))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $t) (local.get $rows)))
            (local.set $q (i32.add (local.get $bias) (local.get $j)))
            (local.set $c0 (v128.load offset=0 (local.get $q)))
            (local.set $c1 (v128.load offset=16 (local.get $q)))
            (local.set $c2 (v128.load offset=32 (local.get $q)))
            (local.set $c3 (v128.load offset=48 (local.get $q)))
            (local.set $p (i32.add (i32.add (local.get $pairs) (i32.const 64))
                                   (i32.mul (local.get $t) (i32.shl (local.get $K) (i32.const 3)))))
            (local.set $end (i32.add (local.get $p)
                                     (i32.shl (i32.load (i32.add (local.get $pairs) (i32.shl (local.get $t) (i32.const 2))))
                                              (i32.const 3))))
            (block $pairs_done
              (loop $pair
                (br_if $pairs_done (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $s (f32x4.splat (f32.load (local.get $p))))
                (local.set $q (i32.add (i32.load offset=4 (local.get $p)) (local.get $j)))
                (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $q)))))
                (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $q)))))
                (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $q)))))
                (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $q)))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $pair)))
            (if (local.get $relu)
              (then
                (local.set $s (f32x4.splat (f32.const 0)))
                (local.set $c0 (f32x4.max (local.get $c0) (local.get $s)))
                (local.set $c1 (f32x4.max (local.get $c1) (local.get $s)))
                (local.set $c2 (f32x4.max (local.get $c2) (local.get $s)))
                (local.set $c3 (f32x4.max (local.get $c3) (local.get $s)))))
            (local.set $out (i32.add (i32.add (local.get $c) (i32.mul (i32.add (local.get $r0) (local.get $t)) (local.get $ldc)))
                                     (local.get $j)))
            (v128.store offset=0 (local.get $out) (local.get $c0))
            (v128.store offset=16 (local.get $out) (local.get $c1))
            (v128.store offset=32 (local.get $out) (local.get $c2))
            (v128.store offset=48 (local.get $out) (local.get $c3))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $strip)))

    ;; 2c. the remaining columns, 4 at a time
    (block $narrow_done
      (loop $strip
        (br_if $narrow_done (i32.ge_u (local.get $j) (local.get $width)))
        (local.set $t (i32.const 0))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $t) (local.get $rows)))
            (local.set $c0 (v128.load (i32.add (local.get $bias) (local.get $j))))
            (local.set $p (i32.add (i32.add (local.get $pairs) (i32.const 64))
                                   (i32.mul (local.get $t) (i32.shl (local.get $K) (i32.const 3)))))
            (local.set $end (i32.add (local.get $p)
                                     (i32.shl (i32.load (i32.add (local.get $pairs) (i32.shl (local.get $t) (i32.const 2))))
                                              (i32.const 3))))
            (block $pairs_done
              (loop $pair
                (br_if $pairs_done (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $c0 (f32x4.add (local.get $c0)
                  (f32x4.mul (f32x4.splat (f32.load (local.get $p)))
                             (v128.load (i32.add (i32.load offset=4 (local.get $p)) (local.get $j))))))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $pair)))
            (if (local.get $relu)
              (then (local.set $c0 (f32x4.max (local.get $c0) (f32x4.splat (f32.const 0))))))
            (v128.store (i32.add (i32.add (local.get $c) (i32.mul (i32.add (local.get $r0) (local.get $t)) (local.get $ldc)))
                                 (local.get $j))
                        (local.get $c0))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $strip)))))
