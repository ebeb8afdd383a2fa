#lang racket/base
;; Group "evts": receive/send evts, ready evts, sync/timeout, choice/wrap/handle, breaks.
(require "harness.rkt")

(define (bound-socket)
  (define s (udp-open-socket))
  (udp-bind! s "127.0.0.1" 0)
  s)

(scenario "evt? on udp evts and other values"
  (define s (udp-open-socket))
  (define buf (make-bytes 4 46))
  (step (evt? (udp-receive!-evt s buf)))
  (step (evt? (udp-send-to-evt s "127.0.0.1" 9 #"x")))
  (step (evt? (udp-send-evt s #"x")))
  (step (evt? (udp-send-ready-evt s)))
  (step (evt? (udp-receive-ready-evt s)))
  (step (evt? always-evt))
  (step (evt? never-evt))
  (step (evt? s))
  (step (evt? 5))
  (udp-close s))

(scenario "always-evt and never-evt"
  (step/same? always-evt (sync always-evt))
  (step/same? always-evt (sync/timeout 0 always-evt))
  (step (sync/timeout 0 never-evt))
  (step (sync/timeout 0.01 never-evt)))

(scenario "sync/timeout on a receive evt with nothing waiting"
  (define r (bound-socket))
  (define buf (make-bytes 4 46))
  (step (sync/timeout 0 (udp-receive!-evt r buf)))
  (step (sync/timeout 0.05 (udp-receive!-evt r buf)))
  (step buf)
  (udp-close r))

(scenario "sync on a receive evt with a datagram"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 6 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"evt"))
  (step (sync (udp-receive!-evt r buf)))
  (step buf)
  (step (udp-send-to s "127.0.0.1" (port-of r) #"ranged"))
  (step (sync/timeout 1 (udp-receive!-evt r buf 2 4)))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "sync/timeout 0 polls a waiting datagram"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"poll"))
  (pause)
  (step (sync/timeout 0 (udp-receive!-evt r buf)))
  (step (sync/timeout 0 (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "a receive evt waits for a later datagram"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step/during (sync/timeout 2 (udp-receive!-evt r buf))
               (udp-send-to s "127.0.0.1" (port-of r) #"wait"))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "a receive evt not chosen does not consume"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (define e (udp-receive!-evt r buf))
  (step (port-of s))
  (step (sync/timeout 0 e))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"kept"))
  (pause)
  (step (udp-receive!* r buf))
  (step (sync/timeout 0 e))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"more"))
  (step (sync/timeout 1 e))
  (udp-close r)
  (udp-close s))

(scenario "send-to evt sends when chosen and auto-binds"
  (define r (bound-socket))
  (define s (udp-open-socket))
  (define buf (make-bytes 8 46))
  (define e (udp-send-to-evt s "127.0.0.1" (port-of r) #"by-evt" 3))
  (step (udp-bound? s))
  (step (sync/timeout 1 e))
  (step (udp-bound? s))
  (step (let-values ([(n h p) (udp-receive! r buf)]) (list n h (= p (port-of s)))))
  (step buf)
  (step (sync/timeout 1 e))
  (step (sync/timeout 1 (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "send evt on a connected socket"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 8 46))
  (step (port-of s))
  (udp-connect! s "127.0.0.1" (port-of r))
  (step (sync/timeout 1 (udp-send-evt s #"connected" 0 4)))
  (step (sync/timeout 1 (udp-receive!-evt r buf)))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "send evts report state errors when chosen"
  (define s (udp-open-socket))
  (define r (bound-socket))
  (define e1 (udp-send-evt s #"x"))
  (step (evt? e1))
  (step (sync/timeout 1 e1))
  (udp-connect! s "127.0.0.1" (port-of r))
  (define e2 (udp-send-to-evt s "127.0.0.1" (port-of r) #"x"))
  (step (evt? e2))
  (step (sync/timeout 1 e2))
  (udp-close s)
  (step (sync/timeout 1 (udp-send-evt s #"x")))
  (step (sync/timeout 1 (udp-send-to-evt s "127.0.0.1" 9 #"x")))
  (udp-close r))

(scenario "receive evt on an unbound socket fails when synced"
  (define s (udp-open-socket))
  (define buf (make-bytes 4 46))
  (define e (udp-receive!-evt s buf))
  (step (evt? e))
  (step (sync/timeout 0.5 e))
  (udp-close s))

(scenario "receive evt on a closed socket fails when synced"
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (define e (udp-receive!-evt s buf))
  (udp-close s)
  (step (sync/timeout 0.5 e))
  (step (sync/timeout 0.5 (udp-receive!-evt s buf))))

(scenario "ready evts sync to themselves"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (define sr (udp-send-ready-evt s))
  (define rr (udp-receive-ready-evt r))
  (step/same? sr (sync/timeout 1 sr))
  (step (sync/timeout 0 rr))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"rdy"))
  (step/same? rr (sync/timeout 1 rr))
  (step/same? rr (sync/timeout 0 rr))
  (step (udp-receive!* r buf))
  (step (sync/timeout 0 rr))
  (udp-close r)
  (udp-close s))

(scenario "send-ready evt on an unbound socket"
  (define s (udp-open-socket))
  (define e (udp-send-ready-evt s))
  (step/same? e (sync/timeout 1 e))
  (step (udp-bound? s))
  (udp-close s))

(scenario "ready evts on a closed socket are ready"
  (define s (bound-socket))
  (define sr (udp-send-ready-evt s))
  (define rr (udp-receive-ready-evt s))
  (udp-close s)
  (step/same? sr (sync/timeout 0.5 sr))
  (step/same? rr (sync/timeout 0.5 rr))
  (step/same? rr (sync/timeout 0.5 (choice-evt never-evt rr))))

(scenario "choice-evt picks the ready receive evt"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"pick"))
  (step (sync/timeout 1 (choice-evt never-evt (udp-receive!-evt r buf))))
  (step (sync/timeout 0 (choice-evt never-evt (udp-receive!-evt r buf))))
  (step (sync/timeout 0 (choice-evt)))
  (udp-close r)
  (udp-close s))

(scenario "wrap-evt and handle-evt see the receive result"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"one"))
  (step (sync/timeout 1 (wrap-evt (udp-receive!-evt r buf) (lambda (v) (list "wrapped" (car v))))))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"four"))
  (step (sync/timeout 1 (handle-evt (udp-receive!-evt r buf) (lambda (v) (list "handled" (car v))))))
  (step (sync/timeout 1 (wrap-evt (udp-send-to-evt s "127.0.0.1" (port-of r) #"w") (lambda (v) (list "sent" v)))))
  (step (sync/timeout 1 (wrap-evt (udp-receive!-evt r buf) (lambda (v) (cadr v)))))
  (step/same? s (sync/timeout 1 (wrap-evt (udp-send-ready-evt s) (lambda (e) s))))
  (step (sync/timeout 0 (wrap-evt never-evt (lambda (v) "never"))))
  (udp-close r)
  (udp-close s))

(scenario "only the chosen receive evt consumes a datagram"
  (define a (bound-socket))
  (define b (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of a) #"aaaa"))
  (step (udp-send-to s "127.0.0.1" (port-of b) #"bbbb"))
  (pause)
  (define which
    (sync/timeout 1 (wrap-evt (udp-receive!-evt a buf) (lambda (v) "a"))
                  (wrap-evt (udp-receive!-evt b buf) (lambda (v) "b"))))
  (step (and (member which '("a" "b")) #t))
  (step (equal? buf (if (equal? which "a") #"aaaa" #"bbbb")))
  ;; the other socket still holds its datagram
  (step (udp-receive!* (if (equal? which "a") b a) buf))
  (step (equal? buf (if (equal? which "a") #"bbbb" #"aaaa")))
  (step (udp-receive!* (if (equal? which "a") a b) buf))
  (for-each udp-close (list a b s)))

(scenario "only the chosen send evt sends"
  (define a (bound-socket))
  (define b (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (sync/timeout 1 (udp-send-to-evt s "127.0.0.1" (port-of a) #"one")
                      (udp-send-to-evt s "127.0.0.1" (port-of b) #"one")))
  (pause)
  (define got-a (call-with-values (lambda () (udp-receive!* a buf)) list))
  (define got-b (call-with-values (lambda () (udp-receive!* b buf)) list))
  (step (if (car got-a) got-a got-b))
  (step (not (equal? (and (car got-a) #t) (and (car got-b) #t))))
  (for-each udp-close (list a b s)))

(scenario "a send evt beside a ready always-evt"
  ;; whichever is chosen, exactly one thing happens
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (define results
    (for/list ([i (in-range 20)])
      (sync (udp-send-to-evt s "127.0.0.1" (port-of r) #"x") (wrap-evt always-evt (lambda (e) "always")))))
  (pause)
  (define received
    (let loop ([n 0])
      (define-values (k h p) (udp-receive!* r buf))
      (if k (loop (add1 n)) n)))
  (step (= received (length (filter void? results))))
  (step (= 20 (+ received (length (filter string? results)))))
  (udp-close r)
  (udp-close s))

(scenario "close wakes a receive evt in sync"
  (define r (bound-socket))
  (define buf (make-bytes 4 46))
  (step/during (sync (udp-receive!-evt r buf)) (udp-close r)))

(scenario "a break interrupts sync/enable-break"
  (define r (bound-socket))
  (define buf (make-bytes 4 46))
  (step/break-after 0.05 (sync/enable-break (udp-receive!-evt r buf)))
  (step (udp-receive!* r buf))
  (udp-close r))

(scenario "a pending break stops sync/enable-break at once"
  (define r (bound-socket))
  (define buf (make-bytes 4 46))
  (step (parameterize-break #f
          (break-thread (current-thread))
          (sync/enable-break (udp-receive!-evt r buf))))
  (step (udp-receive!* r buf))
  (udp-close r))

(scenario "sync/enable-break returns a ready result"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"ok"))
  (step (sync/enable-break (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "receive! waiting in two places: one datagram wakes one"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (define buf2 (make-bytes 4 46))
  (step (port-of s))
  (step/during (sync/timeout 0.5 (udp-receive!-evt r buf) (udp-receive!-evt r buf2))
               (udp-send-to s "127.0.0.1" (port-of r) #"solo"))
  (step (udp-receive!* r buf))
  (udp-close r)
  (udp-close s))

(scenario "receive-ready evt on an unbound socket is never ready"
  (define s (udp-open-socket))
  (define e (udp-receive-ready-evt s))
  (step (sync/timeout 0.1 e))
  (step (udp-bound? s))
  (udp-close s))

(scenario "receive-ready evt becomes ready when a datagram arrives"
  (define r (bound-socket))
  (define s (bound-socket))
  (define e (udp-receive-ready-evt r))
  (step/during (eq? e (sync/timeout 2 e)) (udp-send-to s "127.0.0.1" (port-of r) #"x"))
  (udp-close r)
  (udp-close s))

(scenario "send-ready evt on a connected socket; polling a send evt sends"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (udp-connect! s "127.0.0.1" (port-of r))
  (step (let ([e (udp-send-ready-evt s)]) (eq? e (sync/timeout 0 e))))
  (step (sync/timeout 0 (udp-send-evt s #"poll")))
  (step (sync/timeout 1 (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "two receive evts on one socket share two datagrams"
  (define r (bound-socket))
  (define s (bound-socket))
  (define b1 (make-bytes 4 46))
  (define b2 (make-bytes 4 46))
  (define e1 (udp-receive!-evt r b1))
  (define e2 (udp-receive!-evt r b2))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"one"))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"two"))
  (pause)
  (define (got v) (bytes->string/utf-8 (subbytes v 0 3)))
  (define (both) (sync/timeout 1 (wrap-evt e1 (lambda (v) (got b1))) (wrap-evt e2 (lambda (v) (got b2)))))
  (define x (both))
  (define y (both))
  (step (sort (list x y) string<?))
  (step (sync/timeout 0 e1 e2))
  (udp-close r)
  (udp-close s))

(scenario "a zero-length receive evt consumes a datagram"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"gone"))
  (step (sync/timeout 1 (udp-receive!-evt r buf 4 4)))
  (step (sync/timeout 0.05 (udp-receive!-evt r buf)))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "close wakes a sync on a choice that includes a receive evt"
  (define r (bound-socket))
  (define buf (make-bytes 4 46))
  (step/during (sync/timeout 2 never-evt (udp-receive!-evt r buf)) (udp-close r)))

(scenario "sync/timeout with a procedure, #f, +inf.0 and no evts"
  (step (sync/timeout (lambda () "thunk") never-evt))
  (step/same? always-evt (sync/timeout (lambda () "thunk") always-evt))
  (step/same? always-evt (sync/timeout #f always-evt))
  (step/same? always-evt (sync/timeout +inf.0 always-evt))
  (step (sync/timeout 0))
  (step (sync/timeout 0.01)))

(scenario "a pending break stops sync/enable-break even on a ready evt"
  (step (parameterize-break #f
          (break-thread (current-thread))
          (sync/enable-break always-evt))))

(scenario "nested combinators"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (sync (wrap-evt (choice-evt never-evt (wrap-evt always-evt (lambda (e) 1))) (lambda (x) (+ x 1)))))
  (step/same? always-evt (sync (choice-evt (choice-evt) (choice-evt always-evt))))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"nest"))
  (step (sync/timeout 1 (handle-evt (choice-evt never-evt (wrap-evt (udp-receive!-evt r buf) car))
                                    (lambda (n) (list "got" n)))))
  (step/same? s (sync/timeout 1 (wrap-evt (choice-evt (udp-send-ready-evt s) never-evt) (lambda (e) s))))
  (udp-close r)
  (udp-close s))

(run-scenarios)
