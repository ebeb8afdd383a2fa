#lang racket/base
;; Group "bugs": the Racket 8.7 bugs we do NOT reproduce (reference/racket-udp.md, "Racket 8.7
;; bugs").  These transcripts are Racket's real ones; differential.test.ts rewrites the
;; affected lines into our documented behaviour before comparing.
(require "harness.rkt")

(define (bound-socket)
  (define s (udp-open-socket))
  (udp-bind! s "127.0.0.1" 0)
  s)

(scenario "bug: udp-send-to* of an empty byte string"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-send-to* s "127.0.0.1" (port-of r) #""))
  (step/within 1 (udp-receive! r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: udp-send-to of an empty byte string"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step/within 0.3 (udp-send-to s "127.0.0.1" (port-of r) #"abc" 2 2))
  (step/within 1 (udp-receive! r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: udp-send* and udp-send of an empty byte string"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (udp-connect! s "127.0.0.1" (port-of r))
  (step (udp-send* s #""))
  (step/within 1 (udp-receive! r buf))
  (step/within 0.3 (udp-send s #""))
  (step/within 1 (udp-receive! r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: udp-send-to-evt of an empty byte string"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (sync/timeout 0.3 (udp-send-to-evt s "127.0.0.1" (port-of r) #"")))
  (step/within 1 (udp-receive! r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: a 65508-byte IPv4 datagram"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 70000 46))
  (udp-set-receive-buffer-size! r 300000)
  (step (udp-send-to s "127.0.0.1" (port-of r) (make-bytes 65508 122)))
  (pause)
  (step (udp-receive!* r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: a 70000-byte datagram with udp-send-to*"
  (define r (bound-socket))
  (define s (bound-socket))
  (define buf (make-bytes 70000 46))
  (udp-set-receive-buffer-size! r 300000)
  (step (udp-send-to* s "127.0.0.1" (port-of r) (make-bytes 70000 122)))
  (pause)
  (step (udp-receive!* r buf))
  (udp-close r)
  (udp-close s))

(scenario "bug: IPv6 datagrams of 65527 and 65528 bytes"
  (define r (udp-open-socket "::1" #f))
  (define s (udp-open-socket "::1" #f))
  (define buf (make-bytes 70000 46))
  (udp-bind! r "::1" 0)
  (udp-bind! s "::1" 0)
  (udp-set-receive-buffer-size! r 300000)
  (step (port-of s))
  (step (udp-send-to s "::1" (port-of r) (make-bytes 65527 122)))
  (step (udp-receive! r buf))
  (step (udp-send-to s "::1" (port-of r) (make-bytes 65528 122)))
  (pause)
  (step (udp-receive!* r buf))
  (udp-close r)
  (udp-close s))

(run-scenarios)
