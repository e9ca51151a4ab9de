;; The float64 matrix product of the from-scratch network (lessons 05–08), as a WebAssembly kernel
;; that works on two float64 numbers at a time (128-bit SIMD). Runtime room: not needed to
;; understand the maths. tools/setup.mjs assembles this file into dist/runtime/float64/gemm.wasm with
;; the npm package `wabt`; `worker-pool.ts` loads it and runs it on several threads.
;;
;;   gemm(a, b, c, M, K, N, scratch, R, bias, aRowStep, aColStep, relu, scale)
;;
;; computes C = A·B + bias (the bias row added to every row; callers pass N zeros for a plain
;; product), then, if relu ≠ 0, C ← max(C, 0)·scale (scale = 1 − dropout ratio reproduces a Dropout
;; layer in test mode after the ReLU, scale = 1 a plain ReLU). All pointers are byte addresses in the
;; imported memory. B is K×N and C is M×N, row-major float64; A (M×K) has its element (i, k) at
;; a + i·aRowStep + k·aColStep: (K·8, 8) for a row-major A, (8, M·8) for a stored Aᵀ.
;; `scratch` needs (R+1)·4 + 16 + R·K·16 bytes.
;;
;; The algorithm, for each block of R rows of A:
;;   1. gather, for every row i, the non-zero entries a = A[i,k] as pairs (a, address of row k of B):
;;      ReLU outputs and MNIST pixels are mostly zeros, and a zero adds nothing to C[i,:] (four
;;      entries that are all +0, most of an MNIST image's border, are skipped with one test);
;;   2. for each group of 14 columns j … j+13 (then 8, then 2, then 1), for each row i of the block,
;;      keep C[i, j … j+13] in 7 SIMD registers, starting from the bias, while running over the
;;      gathered pairs in order of k:
;;          acc += a · B[k, j … j+13]
;;      and store the registers into C once at the end (through max(·, 0)·scale if relu ≠ 0).
;;
;; Each C[i,j] is thus bias[j] + a₁·B[k₁,j] + a₂·B[k₂,j] + … added left to right, exactly like the
;; plain loops of src/network/matmul.ts, so both give the same numbers to the last bit. Skipping
;; zeros changes nothing in float64 either, except that 0·∞ and 0·NaN count as 0 instead of NaN (a
;; non-zero input still spreads a NaN or ∞ in B).
;;
;; The memory is shared, so that worker threads can run the same kernel on other rows of C.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $gemm (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $M i32) (param $K i32) (param $N i32)
    (param $scratch i32) (param $R i32) (param $bias i32) (param $aRowStep i32) (param $aColStep i32)
    (param $relu i32) (param $scale f64)
    (local $rowBytes i32) (local $table i32) (local $pairs i32) (local $aRow i32) (local $i i32)
    (local $rows i32) (local $cBlock i32) (local $j i32) (local $s v128)
    (local.set $rowBytes (i32.mul (local.get $N) (i32.const 8)))
    (local.set $s (f64x2.splat (local.get $scale)))
    ;; scratch = [R+1 i32: where each row's pairs start, then where the last ones end]
    ;;           [pairs (f64 a, i32 address of a row of B), 16 bytes each, from a 16-byte boundary]
    (local.set $table (local.get $scratch))
    (local.set $pairs
      (i32.and (i32.add (i32.add (local.get $scratch) (i32.mul (local.get $R) (i32.const 4))) (i32.const 19))
               (i32.const -16)))
    (local.set $aRow (local.get $a))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $M)))
        ;; rows = min(R, M - i)
        (local.set $rows (i32.sub (local.get $M) (local.get $i)))
        (if (i32.gt_u (local.get $rows) (local.get $R)) (then (local.set $rows (local.get $R))))
        ;; 1. the non-zeros of each row of the block
        (call $gather (local.get $aRow) (local.get $rows) (local.get $K) (local.get $aRowStep) (local.get $aColStep)
                      (local.get $b) (local.get $rowBytes) (local.get $table) (local.get $pairs))
        (local.set $aRow (i32.add (local.get $aRow) (i32.mul (local.get $rows) (local.get $aRowStep))))
        ;; 2. the columns of C, in groups of 14, 8, 2, then the last one if N is odd
        (local.set $cBlock (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $j (call $columns14 (local.get $table) (local.get $rows) (local.get $cBlock) (local.get $rowBytes)
                                       (i32.const 0) (local.get $bias) (local.get $relu) (local.get $s)))
        (local.set $j (call $columns8 (local.get $table) (local.get $rows) (local.get $cBlock) (local.get $rowBytes)
                                      (local.get $j) (local.get $bias) (local.get $relu) (local.get $s)))
        (local.set $j (call $columns2 (local.get $table) (local.get $rows) (local.get $cBlock) (local.get $rowBytes)
                                      (local.get $j) (local.get $bias) (local.get $relu) (local.get $s)))
        (call $lastColumn (local.get $table) (local.get $rows) (local.get $cBlock) (local.get $rowBytes)
                          (local.get $j) (local.get $bias) (local.get $relu) (local.get $scale))
        (local.set $i (i32.add (local.get $i) (local.get $rows)))
        (br $blocks))))

  ;; Step 1 for `rows` rows of A from aRow: writes each row's pairs (a, address of row k of B) for its
  ;; non-zero entries a = A[i,k], in order of k, one row after the other from pEnd; table[r] = where
  ;; row r's pairs start, table[rows] = where the last row's end. No branch per entry: every entry is
  ;; written, and pEnd moves on only if a ≠ 0.
  (func $gather
    (param $aRow i32) (param $rows i32) (param $K i32) (param $aRowStep i32) (param $aColStep i32)
    (param $b i32) (param $rowBytes i32) (param $t i32) (param $pEnd i32)
    (local $r i32) (local $aPtr i32) (local $aEnd i32) (local $bRow i32) (local $v f64)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (i32.store (local.get $t) (local.get $pEnd))
        (local.set $bRow (local.get $b))
        (local.set $aPtr (local.get $aRow))
        (local.set $aEnd (i32.add (local.get $aRow) (i32.mul (local.get $K) (local.get $aColStep))))
        ;; a row-major A, four entries at a time: skip them at once when all four are +0
        (block $fourDone
          (loop $four
            (br_if $fourDone
              (i32.or (i32.ne (local.get $aColStep) (i32.const 8))
                      (i32.gt_u (i32.add (local.get $aPtr) (i32.const 32)) (local.get $aEnd))))
            (if (v128.any_true (v128.or (v128.load (local.get $aPtr)) (v128.load offset=16 (local.get $aPtr))))
              (then
                ;; the same five lines as in $rest below, four times
                (f64.store (local.get $pEnd) (local.tee $v (f64.load (local.get $aPtr))))
                (i32.store offset=8 (local.get $pEnd) (local.get $bRow))
                (local.set $pEnd (i32.add (local.get $pEnd) (i32.shl (f64.ne (local.get $v) (f64.const 0)) (i32.const 4))))
                (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
                (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aColStep)))

                (f64.store (local.get $pEnd) (local.tee $v (f64.load (local.get $aPtr))))
                (i32.store offset=8 (local.get $pEnd) (local.get $bRow))
                (local.set $pEnd (i32.add (local.get $pEnd) (i32.shl (f64.ne (local.get $v) (f64.const 0)) (i32.const 4))))
                (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
                (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aColStep)))

                (f64.store (local.get $pEnd) (local.tee $v (f64.load (local.get $aPtr))))
                (i32.store offset=8 (local.get $pEnd) (local.get $bRow))
                (local.set $pEnd (i32.add (local.get $pEnd) (i32.shl (f64.ne (local.get $v) (f64.const 0)) (i32.const 4))))
                (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
                (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aColStep)))

                (f64.store (local.get $pEnd) (local.tee $v (f64.load (local.get $aPtr))))
                (i32.store offset=8 (local.get $pEnd) (local.get $bRow))
                (local.set $pEnd (i32.add (local.get $pEnd) (i32.shl (f64.ne (local.get $v) (f64.const 0)) (i32.const 4))))
                (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
                (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aColStep))))
              (else
                (local.set $aPtr (i32.add (local.get $aPtr) (i32.const 32)))
                (local.set $bRow (i32.add (local.get $bRow) (i32.mul (local.get $rowBytes) (i32.const 4))))))
            (br $four)))
        ;; the rest of the row (all of it for a stored Aᵀ), one entry at a time
        (block $restDone
          (loop $rest
            (br_if $restDone (i32.ge_u (local.get $aPtr) (local.get $aEnd)))
            (f64.store (local.get $pEnd) (local.tee $v (f64.load (local.get $aPtr)))) ;; pair.a = A[i,k]
            (i32.store offset=8 (local.get $pEnd) (local.get $bRow))                   ;; pair.row = &B[k,0]
            (local.set $pEnd (i32.add (local.get $pEnd) (i32.shl (f64.ne (local.get $v) (f64.const 0)) (i32.const 4))))
            (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
            (local.set $aPtr (i32.add (local.get $aPtr) (local.get $aColStep)))
            (br $rest)))
        (local.set $aRow (i32.add (local.get $aRow) (local.get $aRowStep)))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (i32.store (local.get $t) (local.get $pEnd)))

  ;; Step 2, 14 columns at a time while they fit, from column byte offset j: for each row of the block,
  ;; C[i, j … j+13] = bias[j … j+13] + Σ over the row's pairs a · B[k, j … j+13], in 7 registers
  ;; acc0 … acc6 of two numbers each (more makes V8 spill one to the stack). Returns the next j.
  (func $columns14
    (param $table i32) (param $rows i32) (param $cBlock i32) (param $rowBytes i32) (param $j i32)
    (param $bias i32) (param $relu i32) (param $s v128) (result i32)
    (local $t i32) (local $r i32) (local $cRow i32) (local $p i32) (local $pEnd i32) (local $bRow i32)
    (local $a v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $acc4 v128) (local $acc5 v128) (local $acc6 v128)
    (block $done
      (loop $group
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 112)) (local.get $rowBytes)))
        (local.set $r (i32.const 0))
        (local.set $t (local.get $table))
        (local.set $cRow (local.get $cBlock))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.load (local.get $t)))
            (local.set $pEnd (i32.load offset=4 (local.get $t)))
            ;; start from the bias
            (local.set $acc0 (v128.load offset=0 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc4 (v128.load offset=64 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc5 (v128.load offset=80 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc6 (v128.load offset=96 (i32.add (local.get $bias) (local.get $j))))
            ;; acc += a · B[k, j … j+13] for each pair, in order of k
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pEnd)))
                (local.set $a (v128.load64_splat (local.get $p))) ;; a, in both lanes
                (local.set $bRow (i32.add (i32.load offset=8 (local.get $p)) (local.get $j))) ;; &B[k, j]
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (v128.load offset=0 (local.get $bRow)))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $bRow)))))
                (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $a) (v128.load offset=32 (local.get $bRow)))))
                (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $a) (v128.load offset=48 (local.get $bRow)))))
                (local.set $acc4 (f64x2.add (local.get $acc4) (f64x2.mul (local.get $a) (v128.load offset=64 (local.get $bRow)))))
                (local.set $acc5 (f64x2.add (local.get $acc5) (f64x2.mul (local.get $a) (v128.load offset=80 (local.get $bRow)))))
                (local.set $acc6 (f64x2.add (local.get $acc6) (f64x2.mul (local.get $a) (v128.load offset=96 (local.get $bRow)))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br $pair)))
            (if (local.get $relu)
              (then ;; C = max(acc, 0)·scale
                (v128.store offset=0 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc0) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=16 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc1) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=32 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc2) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=48 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc3) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=64 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc4) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=80 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc5) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=96 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc6) (v128.const i64x2 0 0)) (local.get $s))))
              (else ;; C = acc
                (v128.store offset=0 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc0))
                (v128.store offset=16 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc1))
                (v128.store offset=32 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc2))
                (v128.store offset=48 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc3))
                (v128.store offset=64 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc4))
                (v128.store offset=80 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc5))
                (v128.store offset=96 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc6))))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $cRow (i32.add (local.get $cRow) (local.get $rowBytes)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 112)))
        (br $group)))
    (local.get $j))

  ;; The same as $columns14 for 8 columns at a time, in 4 registers.
  (func $columns8
    (param $table i32) (param $rows i32) (param $cBlock i32) (param $rowBytes i32) (param $j i32)
    (param $bias i32) (param $relu i32) (param $s v128) (result i32)
    (local $t i32) (local $r i32) (local $cRow i32) (local $p i32) (local $pEnd i32) (local $bRow i32)
    (local $a v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (block $done
      (loop $group
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 64)) (local.get $rowBytes)))
        (local.set $r (i32.const 0))
        (local.set $t (local.get $table))
        (local.set $cRow (local.get $cBlock))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.load (local.get $t)))
            (local.set $pEnd (i32.load offset=4 (local.get $t)))
            (local.set $acc0 (v128.load offset=0 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $j))))
            (local.set $acc3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $j))))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pEnd)))
                (local.set $a (v128.load64_splat (local.get $p)))
                (local.set $bRow (i32.add (i32.load offset=8 (local.get $p)) (local.get $j)))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (v128.load offset=0 (local.get $bRow)))))
                (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $a) (v128.load offset=16 (local.get $bRow)))))
                (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $a) (v128.load offset=32 (local.get $bRow)))))
                (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $a) (v128.load offset=48 (local.get $bRow)))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br $pair)))
            (if (local.get $relu)
              (then
                (v128.store offset=0 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc0) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=16 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc1) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=32 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc2) (v128.const i64x2 0 0)) (local.get $s)))
                (v128.store offset=48 (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc3) (v128.const i64x2 0 0)) (local.get $s))))
              (else
                (v128.store offset=0 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc0))
                (v128.store offset=16 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc1))
                (v128.store offset=32 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc2))
                (v128.store offset=48 (i32.add (local.get $cRow) (local.get $j)) (local.get $acc3))))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $cRow (i32.add (local.get $cRow) (local.get $rowBytes)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $group)))
    (local.get $j))

  ;; The same for 2 columns at a time, in one register.
  (func $columns2
    (param $table i32) (param $rows i32) (param $cBlock i32) (param $rowBytes i32) (param $j i32)
    (param $bias i32) (param $relu i32) (param $s v128) (result i32)
    (local $t i32) (local $r i32) (local $cRow i32) (local $p i32) (local $pEnd i32) (local $bRow i32)
    (local $a v128) (local $acc0 v128)
    (block $done
      (loop $group
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $rowBytes)))
        (local.set $r (i32.const 0))
        (local.set $t (local.get $table))
        (local.set $cRow (local.get $cBlock))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.load (local.get $t)))
            (local.set $pEnd (i32.load offset=4 (local.get $t)))
            (local.set $acc0 (v128.load (i32.add (local.get $bias) (local.get $j))))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pEnd)))
                (local.set $a (v128.load64_splat (local.get $p)))
                (local.set $bRow (i32.add (i32.load offset=8 (local.get $p)) (local.get $j)))
                (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $a) (v128.load (local.get $bRow)))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br $pair)))
            (if (local.get $relu)
              (then (v128.store (i32.add (local.get $cRow) (local.get $j)) (f64x2.mul (f64x2.max (local.get $acc0) (v128.const i64x2 0 0)) (local.get $s))))
              (else (v128.store (i32.add (local.get $cRow) (local.get $j)) (local.get $acc0))))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $cRow (i32.add (local.get $cRow) (local.get $rowBytes)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $group)))
    (local.get $j))

  ;; The last column when N is odd (j < N·8 still), one number at a time.
  (func $lastColumn
    (param $table i32) (param $rows i32) (param $cBlock i32) (param $rowBytes i32) (param $j i32)
    (param $bias i32) (param $relu i32) (param $scale f64)
    (local $t i32) (local $r i32) (local $cRow i32) (local $p i32) (local $pEnd i32) (local $v f64)
    (if (i32.lt_u (local.get $j) (local.get $rowBytes))
      (then
        (local.set $t (local.get $table))
        (local.set $cRow (local.get $cBlock))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $p (i32.load (local.get $t)))
            (local.set $pEnd (i32.load offset=4 (local.get $t)))
            (local.set $v (f64.load (i32.add (local.get $bias) (local.get $j))))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pEnd)))
                (local.set $v (f64.add (local.get $v)
                                       (f64.mul (f64.load (local.get $p))
                                                (f64.load (i32.add (i32.load offset=8 (local.get $p)) (local.get $j))))))
                (local.set $p (i32.add (local.get $p) (i32.const 16)))
                (br $pair)))
            (if (local.get $relu)
              (then (local.set $v (f64.mul (f64.max (local.get $v) (f64.const 0)) (local.get $scale)))))
            (f64.store (i32.add (local.get $cRow) (local.get $j)) (local.get $v))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $cRow (i32.add (local.get $cRow) (local.get $rowBytes)))
            (br $row)))))))
