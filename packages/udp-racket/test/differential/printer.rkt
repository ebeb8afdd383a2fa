#lang racket/base
;; Values the transcript printer (print.ts) must write exactly as Racket's `write` does.
;; Not a scenario group: differential.test.ts compares these lines with print.ts's output.
(define (line v) (write v) (newline))
(line (apply bytes (for/list ([i (in-range 256)]) i)))
(line (bytes 1 56 1 55 0 57 200 49 0))
(line (list->string (for/list ([i (in-range 0 256)]) (integer->char i))))
(line "a\u2028b\"c\\d")
(line (list 1 -2 1.5 #t #f "s" #"b" (list) (list (list 3))))
(line (void))
