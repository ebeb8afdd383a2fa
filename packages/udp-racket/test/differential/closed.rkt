#lang racket/base
;; Group "closed": every operation on a closed socket.
(require "harness.rkt")

(define (closed-socket #:bind? [bind? #t] #:connect? [connect? #f])
  (define s (udp-open-socket))
  (when bind? (udp-bind! s "127.0.0.1" 0))
  (when connect? (udp-connect! s "127.0.0.1" 9))
  (udp-close s)
  s)

(scenario "closed: second close"
  (define s (udp-open-socket))
  (step (udp-close s))
  (step (udp-close s))
  (step (udp-close s)))

(scenario "closed: never-bound socket flags and close"
  (define s (closed-socket #:bind? #f))
  (step (udp-bound? s))
  (step (udp-connected? s))
  (step (udp? s))
  (step (udp-close s)))

(scenario "closed: bind and connect"
  (define s (closed-socket #:bind? #f))
  (step (udp-bind! s "127.0.0.1" 0))
  (step (udp-bind! s #f 0 #t))
  (step (udp-connect! s "127.0.0.1" 9))
  (step (udp-connect! s #f #f))
  (step (udp-bound? s)))

(scenario "closed: bind on a closed bound socket"
  (define s (closed-socket))
  (step (udp-bind! s "127.0.0.1" 0)))

(scenario "closed: send family on an unconnected socket"
  (define s (closed-socket))
  (step (udp-send-to s "127.0.0.1" 9 #"x"))
  (step (udp-send-to* s "127.0.0.1" 9 #"x"))
  (step (udp-send-to/enable-break s "127.0.0.1" 9 #"x" 0 1))
  (step (udp-send s #"x"))
  (step (udp-send* s #"x"))
  (step (udp-send/enable-break s #"x")))

(scenario "closed: send family on a connected socket"
  (define s (closed-socket #:connect? #t))
  (step (udp-send-to s "127.0.0.1" 9 #"x"))
  (step (udp-send-to* s "127.0.0.1" 9 #"x"))
  (step (udp-send-to/enable-break s "127.0.0.1" 9 #"x"))
  (step (udp-send s #"x"))
  (step (udp-send* s #"x"))
  (step (udp-send/enable-break s #"x")))

(scenario "closed: receive family"
  (define s (closed-socket))
  (define buf (make-bytes 4 46))
  (step/within 1 (udp-receive! s buf))
  (step (udp-receive!* s buf))
  (step/within 1 (udp-receive!/enable-break s buf 1 2)))

(scenario "closed: receive family on a never-bound socket"
  (define s (closed-socket #:bind? #f))
  (define buf (make-bytes 4 46))
  (step/within 1 (udp-receive! s buf))
  (step (udp-receive!* s buf))
  (step/within 1 (udp-receive!/enable-break s buf)))

(scenario "closed: udp-addresses names tcp-addresses"
  (define s (closed-socket))
  (step (udp-addresses s))
  (step (udp-addresses s #t)))

(scenario "closed: option getters and setters"
  (define s (closed-socket))
  (step (udp-ttl s))
  (step (udp-set-ttl! s 5))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-set-ttl! s 5))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-set-loopback! s #t))
  (step (udp-multicast-interface s))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-set-interface! s #f))
  (step (udp-set-receive-buffer-size! s 4096)))

(scenario "closed: options on a never-bound socket"
  (define s (closed-socket #:bind? #f))
  (step (udp-ttl s))
  (step (udp-set-ttl! s 5))
  (step (udp-multicast-loopback? s)))

(scenario "closed: multicast groups"
  (define s (closed-socket))
  (step (udp-multicast-join-group! s "239.255.0.1" #f))
  (step (udp-multicast-join-group! s "239.255.0.1" "127.0.0.1"))
  (step (udp-multicast-leave-group! s "239.255.0.1" #f)))

(scenario "closed: evt constructors succeed, syncing raises"
  (define s (closed-socket))
  (define buf (make-bytes 4 46))
  (step (evt? (udp-receive!-evt s buf)))
  (step (evt? (udp-send-to-evt s "127.0.0.1" 9 #"x")))
  (step (evt? (udp-send-evt s #"x")))
  (step (sync/timeout 1 (udp-send-to-evt s "127.0.0.1" 9 #"x")))
  (step (sync/timeout 1 (udp-receive!-evt s buf 0 2))))

(scenario "closed: contract errors come before the closed check"
  (define s (closed-socket))
  (define buf (make-bytes 4 46))
  (step (udp-send-to s "127.0.0.1" 0 #"x"))
  (step (udp-send s #"x" 2))
  (step (udp-receive! s buf 5))
  (step (udp-set-ttl! s 256))
  (step (udp-bind! s #f 65536))
  (step (udp-connect! s "127.0.0.1" #f))
  (step (udp-close s s)))

(scenario "closed: ready evts made after close are ready"
  (define s (closed-socket))
  (define u (closed-socket #:bind? #f))
  (step (let ([e (udp-send-ready-evt s)]) (eq? e (sync/timeout 0.5 e))))
  (step (let ([e (udp-receive-ready-evt s)]) (eq? e (sync/timeout 0.5 e))))
  (step (let ([e (udp-receive-ready-evt u)]) (eq? e (sync/timeout 0.5 e)))))

(scenario "closed: close wakes a waiting receive-ready evt"
  (define r (udp-open-socket))
  (udp-bind! r "127.0.0.1" 0)
  (define e (udp-receive-ready-evt r))
  (step/during (eq? e (sync/timeout 2 e)) (udp-close r)))

(run-scenarios)
