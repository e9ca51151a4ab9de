;; One RMSprop step over a weight tensor, for the kit's one-pass RMSprop update (rmsprop.ts; lesson 01:
;; Chollet's first network is compiled with `optimizer: "rmsprop"`). Runtime room: not needed to
;; understand the maths. It works in the wasm backend's own memory, where the weights, the gradient and
;; the two accumulators lie, and writes three new tensors there:
;;
;;     ms'  = ms * decay + (g * g) * (1 - decay)
;;     mom' = mom * momentum + (g * lr) / sqrt(ms' + eps)
;;     w'   = w - mom'
;;
;; four numbers at a time (f32x4), the last n mod 4 one by one. Every operation is a float32 operation
;; rounded once, in the order tfjs's stock update does them, so the results are the stock ones to the
;; bit (a float32 sqrt or division rounds like JavaScript's double one rounded to float32).
;; Addresses are in bytes; the tensors need no alignment.
(module
  (import "env" "memory" (memory 1))

  (func (export "rmsprop")
    (param $w i32) (param $g i32) (param $ms i32) (param $mom i32)
    (param $msOut i32) (param $momOut i32) (param $wOut i32) (param $n i32)
    (param $decay f32) (param $keep f32) (param $momentum f32) (param $lr f32) (param $eps f32)
    (local $i i32) (local $n4 i32)
    (local $gv v128) (local $sv v128) (local $mv v128)
    (local $gs f32) (local $ss f32) (local $m1 f32)

    (local.set $n4 (i32.shl (i32.shr_u (local.get $n) (i32.const 2)) (i32.const 4)))
    (local.set $n (i32.shl (local.get $n) (i32.const 2)))
    ;; $i runs over bytes: four numbers per round
    (block $done4
      (loop $four
        (br_if $done4 (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $gv (v128.load align=1 (i32.add (local.get $g) (local.get $i))))
        (local.set $sv
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $ms) (local.get $i))) (f32x4.splat (local.get $decay)))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $keep)))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load align=1 (i32.add (local.get $mom) (local.get $i))) (f32x4.splat (local.get $momentum)))
            (f32x4.div
              (f32x4.mul (local.get $gv) (f32x4.splat (local.get $lr)))
              (f32x4.sqrt (f32x4.add (local.get $sv) (f32x4.splat (local.get $eps)))))))
        (v128.store align=1 (i32.add (local.get $msOut) (local.get $i)) (local.get $sv))
        (v128.store align=1 (i32.add (local.get $momOut) (local.get $i)) (local.get $mv))
        (v128.store align=1 (i32.add (local.get $wOut) (local.get $i))
          (f32x4.sub (v128.load align=1 (i32.add (local.get $w) (local.get $i))) (local.get $mv)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $four)))
    ;; the rest, one number at a time
    (block $done
      (loop $one
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $gs (f32.load align=1 (i32.add (local.get $g) (local.get $i))))
        (local.set $ss
          (f32.add
            (f32.mul (f32.load align=1 (i32.add (local.get $ms) (local.get $i))) (local.get $decay))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $keep))))
        (local.set $m1
          (f32.add
            (f32.mul (f32.load align=1 (i32.add (local.get $mom) (local.get $i))) (local.get $momentum))
            (f32.div (f32.mul (local.get $gs) (local.get $lr)) (f32.sqrt (f32.add (local.get $ss) (local.get $eps))))))
        (f32.store align=1 (i32.add (local.get $msOut) (local.get $i)) (local.get $ss))
        (f32.store align=1 (i32.add (local.get $momOut) (local.get $i)) (local.get $m1))
        (f32.store align=1 (i32.add (local.get $wOut) (local.get $i))
          (f32.sub (f32.load align=1 (i32.add (local.get $w) (local.get $i))) (local.get $m1)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $one)))))
