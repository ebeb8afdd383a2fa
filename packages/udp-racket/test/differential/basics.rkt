#lang racket/base
;; Group "basics": udp?, bound?/connected? flags, udp-addresses, families, binding.
(require "harness.rkt")

(scenario "udp? on sockets and other values"
  (define s (udp-open-socket))
  (step (udp? s))
  (step (udp? 5))
  (step (udp? "127.0.0.1"))
  (step (udp? #f))
  (step (udp? #"x"))
  (udp-close s)
  (step (udp? s)))

(scenario "flags through open, bind, connect, disconnect, close"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (step (list (udp-bound? s) (udp-connected? s)))
  (step (udp-bind! s "127.0.0.1" 0))
  (step (list (udp-bound? s) (udp-connected? s)))
  (step (udp-connect! s "127.0.0.1" (port-of peer)))
  (step (list (udp-bound? s) (udp-connected? s)))
  (step (udp-connect! s #f #f))
  (step (list (udp-bound? s) (udp-connected? s)))
  (step (udp-close s))
  (step (list (udp-bound? s) (udp-connected? s)))
  (udp-close peer))

(scenario "flags of a connected socket survive close"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (udp-bind! s "127.0.0.1" 0)
  (udp-connect! s "127.0.0.1" (port-of peer))
  (step (udp-close s))
  (step (udp-bound? s))
  (step (udp-connected? s))
  (udp-close peer))

(scenario "connect does not set the bound flag; send then binds"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (step (udp-connect! s "127.0.0.1" (port-of peer)))
  (step (list (udp-bound? s) (udp-connected? s)))
  (step (udp-send s #"x"))
  (step (list (udp-bound? s) (udp-connected? s)))
  (udp-close s)
  (udp-close peer))

(scenario "send-to auto-binds to the wildcard"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (step (udp-bound? s))
  (step (udp-send-to s "127.0.0.1" (port-of peer) #"x"))
  (step (udp-bound? s))
  (step (let-values ([(a p b q) (udp-addresses s #t)]) (list a (> p 0) b q)))
  (step (udp-bind! s "127.0.0.1" 0))
  (udp-close s)
  (udp-close peer))

(scenario "send-to* auto-binds"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (step (udp-send-to* s "127.0.0.1" (port-of peer) #"x"))
  (step (udp-bound? s))
  (udp-close s)
  (udp-close peer))

(scenario "udp-addresses of an unbound IPv4 socket"
  (define s (udp-open-socket))
  (step (udp-addresses s))
  (step (udp-addresses s #f))
  (step (udp-addresses s #t))
  (step (udp-addresses s 'yes))
  (udp-close s))

(scenario "udp-addresses of an unbound IPv6 socket"
  (define s (udp-open-socket "::1" #f))
  (step (udp-addresses s))
  (step (udp-addresses s #t))
  (udp-close s))

(scenario "udp-addresses bound to 127.0.0.1"
  (define s (udp-open-socket))
  (udp-bind! s "127.0.0.1" 0)
  (step (udp-addresses s))
  (step (udp-addresses s #t))
  (udp-close s))

(scenario "udp-addresses bound to the IPv4 wildcard"
  (define s (udp-open-socket))
  (udp-bind! s #f 0)
  (step (udp-addresses s))
  (step (udp-addresses s #t))
  (udp-close s))

(scenario "udp-addresses connected, then disconnected"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (udp-bind! s "127.0.0.1" 0)
  (step (port-of peer))
  (step (port-of s))
  (udp-connect! s "127.0.0.1" (port-of peer))
  (step (udp-addresses s))
  (step (udp-addresses s #t))
  (udp-connect! s #f #f)
  (step (udp-addresses s #t))
  (udp-close s)
  (udp-close peer))

(scenario "udp-addresses of a wildcard socket connected to loopback"
  (define s (udp-open-socket))
  (define peer (udp-open-socket))
  (udp-bind! peer "127.0.0.1" 0)
  (udp-bind! s #f 0)
  (step (port-of peer))
  (step (port-of s))
  (udp-connect! s "127.0.0.1" (port-of peer))
  (step (udp-addresses s #t))
  (udp-close s)
  (udp-close peer))

(scenario "udp-addresses IPv6 loopback bound and connected"
  (define s (udp-open-socket "::1" #f))
  (define peer (udp-open-socket "::1" #f))
  (udp-bind! peer "::1" 0)
  (udp-bind! s "::1" 0)
  (step (port-of peer))
  (step (port-of s))
  (step (udp-addresses s))
  (step (udp-addresses s #t))
  (udp-connect! s "::1" (port-of peer))
  (step (udp-addresses s #t))
  (udp-close s)
  (udp-close peer))

(scenario "udp-addresses IPv6 wildcard"
  (define s (udp-open-socket "::" #f))
  (udp-bind! s "::" 0)
  (step (udp-addresses s))
  (udp-close s))

(scenario "open-socket family from its arguments"
  (define a (udp-open-socket #f #f))
  (define b (udp-open-socket "127.0.0.1" #f))
  (define c (udp-open-socket "localhost" 53))
  (define d (udp-open-socket "::1" 53))
  (define e (udp-open-socket #f 53))
  (define f (udp-open-socket "::1"))
  (step (udp-addresses a))
  (step (udp-addresses b))
  (step (udp-addresses c))
  (step (udp-addresses d))
  (step (udp-addresses e))
  (step (udp-addresses f))
  (for-each udp-close (list a b c d e f)))

(scenario "IPv4 sender seen on an IPv6 wildcard socket"
  (define r (udp-open-socket "::" #f))
  (define s (udp-open-socket))
  (define buf (make-bytes 8 46))
  (udp-bind! r #f 0)
  (udp-bind! s "127.0.0.1" 0)
  (step (port-of r))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"v4"))
  (step (sync/timeout 2 (udp-receive!-evt r buf)))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "IPv6 round trip on ::1"
  (define r (udp-open-socket "::1" #f))
  (define s (udp-open-socket "::1" #f))
  (define buf (make-bytes 8 46))
  (udp-bind! r "::1" 0)
  (step (port-of r))
  (step (udp-send-to s "::1" (port-of r) #"six"))
  (step (sync/timeout 2 (udp-receive!-evt r buf)))
  (step (port-of s))
  (step buf)
  (udp-close r)
  (udp-close s))

(scenario "IPv4 socket sending to ::1 fails with errno 97"
  (define s (udp-open-socket))
  (step (udp-send-to s "::1" 9 #"x"))
  (udp-close s))

(scenario "bind conflict on 127.0.0.1 raises errno 98"
  (define a (udp-open-socket))
  (define b (udp-open-socket))
  (udp-bind! a "127.0.0.1" 0)
  (step (port-of a))
  (step (udp-bind! b "127.0.0.1" (port-of a)))
  (step (udp-bound? b))
  (step (udp-bind! b "127.0.0.1" 0))
  (step (udp-bound? b))
  (udp-close a)
  (udp-close b))

(scenario "bind conflict on the wildcard prints <unspec>"
  (define a (udp-open-socket))
  (define b (udp-open-socket))
  (udp-bind! a #f 0)
  (step (port-of a))
  (step (udp-bind! b #f (port-of a)))
  (udp-close a)
  (udp-close b))

(scenario "bind conflict with reuse? names can't bind as reusable"
  (define a (udp-open-socket))
  (define b (udp-open-socket))
  (udp-bind! a "127.0.0.1" 0)
  (step (port-of a))
  (step (udp-bind! b "127.0.0.1" (port-of a) #t))
  (udp-close a)
  (udp-close b))

(scenario "two reusable binds share a port"
  (define a (udp-open-socket))
  (define b (udp-open-socket))
  (step (udp-bind! a "127.0.0.1" 0 #t))
  (step (port-of a))
  (step (udp-bind! b "127.0.0.1" (port-of a) #t))
  (step (port-of b))
  (udp-close a)
  (udp-close b))

(scenario "bind to an address that is not local raises errno 99"
  (define s (udp-open-socket))
  (step (udp-bind! s "192.0.2.1" 0))
  (step (udp-bound? s))
  (udp-close s))

(scenario "bind twice raises already bound"
  (define s (udp-open-socket))
  (step (udp-bind! s "127.0.0.1" 0))
  (step (udp-bind! s "127.0.0.1" 0))
  (step (udp-bind! s #f 0 #t))
  (udp-close s))

(scenario "a round trip by Racket names"
  ;; the TS twin calls everything through the `racket` map
  (define r (udp-open-socket))
  (define s (udp-open-socket))
  (define buf (make-bytes 6 46))
  (step (udp-bind! r "127.0.0.1" 0))
  (step (udp-bind! s "127.0.0.1" 0 #t))
  (step (port-of s))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"racket"))
  (step (sync/timeout 1 (udp-receive!-evt r buf)))
  (step (udp-receive!* r buf))
  (step (list (udp? r) (udp-bound? r) (udp-connected? r)))
  (step (udp-close r))
  (step (udp-close s)))

(run-scenarios)
