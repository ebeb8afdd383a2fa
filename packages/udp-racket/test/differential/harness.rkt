#lang racket/base
;; Differential-test harness, Racket side.  Each group file declares scenarios with
;; `scenario`; `(run-scenarios)` runs them (or only those named on the command line) and prints
;;   == <name>
;;   <one line per step>
;; A step line is the step's value printed with `write` (several values as a list), or
;;   EXN <class> [<errno pair>] <message written as a string>
;; The TS side (harness.ts) prints the very same format; differential.test.ts compares them.
(require racket/udp)
(provide scenario step step/within step/during start step/await make-channel step/break-after step/same? note pause port-of
         (all-from-out racket/udp) run-scenarios)

(define scenarios '()) ; newest first
(define (add-scenario! name thunk) (set! scenarios (cons (cons name thunk) scenarios)))

(define-syntax-rule (scenario name body ...)
  (add-scenario! name (lambda () body ... (void))))

(define (emit line)
  (write-string line)
  (newline)
  (flush-output))

(define (exn-line e)
  (cond
    [(exn:fail:contract:arity? e) (format "EXN exn:fail:contract:arity ~s" (exn-message e))]
    [(exn:fail:contract? e) (format "EXN exn:fail:contract ~s" (exn-message e))]
    [(exn:fail:network:errno? e)
     (format "EXN exn:fail:network:errno ~s ~s" (exn:fail:network:errno-errno e) (exn-message e))]
    [(exn:fail:network? e) (format "EXN exn:fail:network ~s" (exn-message e))]
    [(exn:break? e) (format "EXN exn:break ~s" (exn-message e))]
    [(exn:fail? e) (format "EXN exn:fail ~s" (exn-message e))]
    [(exn? e) (format "EXN exn ~s" (exn-message e))]
    [else (format "RAISE ~s" e)]))

(define format-values
  (case-lambda
    [(v) (format "~s" v)]
    [vs (format "~s" vs)]))

;; Evaluate thunk, returning its transcript line (never raises).
(define (line-of thunk)
  (with-handlers ([(lambda (x) #t) exn-line])
    (call-with-values thunk format-values)))

(define-syntax-rule (step e) (emit (line-of (lambda () e))))

;; Like step, but gives up after `secs` and prints TIMEOUT (the TS harness does the same for
;; every step, after a few seconds).
(define-syntax-rule (step/within secs e)
  (let* ([ch (make-channel)]
         [t (thread (lambda () (channel-put ch (line-of (lambda () e)))))])
    (emit (or (sync/timeout secs ch) "TIMEOUT"))))

;; `(start ch e)` runs e in a thread and puts its line into channel ch; `(step/await ch secs)`
;; prints the first line to arrive (from any started e), or TIMEOUT.
(define-syntax-rule (start ch e)
  (void (thread (lambda () (channel-put ch (line-of (lambda () e)))))))
(define (step/await ch secs) (emit (or (sync/timeout secs ch) "TIMEOUT")))

;; A free-form marker line (both sides print it verbatim).
(define (note s) (emit (string-append ";; " s)))

;; Run `e` in a thread, do `action` 50 ms later, then print e's outcome.
(define-syntax-rule (step/during e action)
  (let* ([ch (make-channel)]
         [t (thread (lambda () (channel-put ch (line-of (lambda () e)))))])
    (sleep 0.05)
    action
    (emit (sync/timeout 5 ch))))

;; Run `e` (an /enable-break call) in a thread and break that thread after `secs`.
(define-syntax-rule (step/break-after secs e)
  (let* ([ch (make-channel)]
         [t (thread (lambda () (channel-put ch (line-of (lambda () e)))))])
    (sleep secs)
    (break-thread t)
    (emit (sync/timeout 5 ch))))

;; Print #t when `e` returns `v` itself (eq?), else what it returned.
(define-syntax-rule (step/same? v e)
  (emit (line-of (lambda () (let ([x e]) (if (eq? x v) #t (list 'not-same x)))))))

(define (pause) (sleep 0.05))

(define (port-of s)
  (let-values ([(a p b q) (udp-addresses s #t)]) p))

(define (run-scenarios)
  (define wanted (vector->list (current-command-line-arguments)))
  (for ([sc (in-list (reverse scenarios))]
        #:when (or (null? wanted) (member (car sc) wanted)))
    (emit (string-append "== " (car sc)))
    (define c (make-custodian))
    (parameterize ([current-custodian c])
      (with-handlers ([(lambda (x) #t) (lambda (e) (emit (string-append "ABORT " (exn-line e))))])
        ((cdr sc))))
    (custodian-shutdown-all c))
  (emit "== END"))
