#lang racket/base
;; Group "options": ttl, multicast options, receive buffer, multicast groups.
(require "harness.rkt")

(define (bound-socket [host "127.0.0.1"])
  (define s (udp-open-socket))
  (udp-bind! s host 0)
  s)

(scenario "option defaults on an unbound socket"
  (define s (udp-open-socket))
  (step (udp-ttl s))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-interface s))
  (step (udp-bound? s))
  (udp-close s))

(scenario "option defaults on a bound socket"
  (define s (bound-socket))
  (step (udp-ttl s))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-interface s))
  (udp-close s))

(scenario "option defaults on an IPv6 socket"
  (define s (udp-open-socket "::1" #f))
  (step (udp-ttl s))
  (udp-bind! s "::1" 0)
  (step (udp-ttl s))
  (udp-close s))

(scenario "set options on an unbound socket, then bind"
  (define s (udp-open-socket))
  (step (udp-set-ttl! s 7))
  (step (udp-multicast-set-ttl! s 3))
  (step (udp-multicast-set-loopback! s #f))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (list (udp-ttl s) (udp-multicast-ttl s) (udp-multicast-loopback? s) (udp-multicast-interface s)))
  (step (udp-bound? s))
  (udp-bind! s "127.0.0.1" 0)
  (step (list (udp-ttl s) (udp-multicast-ttl s) (udp-multicast-loopback? s) (udp-multicast-interface s)))
  (udp-close s))

(scenario "set options on an unbound socket, then auto-bind by sending"
  (define r (bound-socket))
  (define s (udp-open-socket))
  (udp-set-ttl! s 9)
  (udp-multicast-set-ttl! s 4)
  (step (udp-send-to s "127.0.0.1" (port-of r) #"x"))
  (step (list (udp-ttl s) (udp-multicast-ttl s)))
  (udp-close r)
  (udp-close s))

(scenario "udp-set-ttl! range"
  (define s (bound-socket))
  (step (udp-set-ttl! s 1))
  (step (udp-ttl s))
  (step (udp-set-ttl! s 255))
  (step (udp-ttl s))
  (step (udp-set-ttl! s 0))
  (step (udp-ttl s))
  (step (udp-set-ttl! s 256))
  (step (udp-set-ttl! s -1))
  (udp-close s))

(scenario "udp-set-ttl! 0 on an unbound socket"
  (define s (udp-open-socket))
  (step (udp-set-ttl! s 0))
  (step (udp-ttl s))
  (udp-close s))

(scenario "udp-multicast-set-ttl! range"
  (define s (bound-socket))
  (step (udp-multicast-set-ttl! s 0))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-set-ttl! s 255))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-set-ttl! s 256))
  (step (udp-multicast-ttl s))
  (udp-close s))

(scenario "udp-multicast-set-loopback! takes any value"
  (define s (bound-socket))
  (step (udp-multicast-set-loopback! s #f))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-set-loopback! s "yes"))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-set-loopback! s #f))
  (step (udp-multicast-set-loopback! s 0))
  (step (udp-multicast-loopback? s))
  (udp-close s))

(scenario "udp-multicast-set-interface! and back to the default"
  (define s (bound-socket))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-interface s))
  (step (udp-multicast-set-interface! s #f))
  (step (udp-multicast-interface s))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-set-interface! s "0.0.0.0"))
  (step (udp-multicast-interface s))
  (udp-close s))

(scenario "udp-set-receive-buffer-size!"
  (define s (bound-socket))
  (step (udp-set-receive-buffer-size! s 1))
  (step (udp-set-receive-buffer-size! s 65536))
  (step (udp-set-receive-buffer-size! s 4000000000))
  (step (udp-set-receive-buffer-size! s 0))
  (step (udp-set-receive-buffer-size! s -5))
  (udp-close s)
  (define u (udp-open-socket))
  (step (udp-set-receive-buffer-size! u 100000))
  (step (udp-bound? u))
  (udp-close u))

(scenario "multicast join and leave"
  (define s (udp-open-socket))
  (udp-bind! s #f 0)
  (step (udp-multicast-join-group! s "239.255.0.1" "127.0.0.1"))
  (step (udp-multicast-leave-group! s "239.255.0.1" "127.0.0.1"))
  (step (udp-multicast-join-group! s "239.255.0.2" #f))
  (step (udp-multicast-leave-group! s "239.255.0.2" #f))
  (step (udp-multicast-join-group! s "239.255.0.3" "0.0.0.0"))
  (step (udp-multicast-leave-group! s "239.255.0.3" #f))
  (udp-close s))

(scenario "multicast join on an unbound socket, then bind"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "239.255.0.4" "127.0.0.1"))
  (step (udp-bound? s))
  (step (udp-bind! s #f 0))
  (step (udp-multicast-leave-group! s "239.255.0.4" "127.0.0.1"))
  (udp-close s))

(scenario "multicast join errors"
  (define s (bound-socket #f))
  (step (udp-multicast-join-group! s "127.0.0.0" #f))
  (step (udp-multicast-join-group! s "127.0.0.1" "127.0.0.1"))
  (step (udp-multicast-join-group! s "239.255.0.5" "8.8.8.0"))
  (step (udp-multicast-leave-group! s "239.255.0.6" #f))
  (step (udp-multicast-leave-group! s "239.255.0.6" "127.0.0.1"))
  (step (udp-multicast-join-group! s "239.255.0.7" "127.0.0.1"))
  (step (udp-multicast-join-group! s "239.255.0.7" "127.0.0.1"))
  (step (udp-multicast-leave-group! s "239.255.0.7" "127.0.0.1"))
  (step (udp-multicast-leave-group! s "239.255.0.7" "127.0.0.1"))
  (udp-close s))

(scenario "multicast join errors on an unbound socket"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "127.0.0.0" #f))
  (step (udp-multicast-join-group! s "239.255.0.5" "8.8.8.0"))
  (step (udp-multicast-leave-group! s "239.255.0.6" #f))
  (step (udp-bound? s))
  (udp-close s))

(scenario "multicast set-interface to a non-local address"
  (define s (bound-socket))
  (step (udp-multicast-set-interface! s "8.8.8.0"))
  (step (udp-multicast-interface s))
  (udp-close s))

(scenario "IPv4 multicast round trip over loopback"
  (define r (udp-open-socket))
  (define s (bound-socket))
  (define buf (make-bytes 8 46))
  (udp-bind! r #f 0)
  (step (port-of s))
  (step (udp-multicast-join-group! r "239.255.0.9" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-send-to s "239.255.0.9" (port-of r) #"group"))
  (step (sync/timeout 2 (udp-receive!-evt r buf)))
  (step buf)
  (step (udp-multicast-leave-group! r "239.255.0.9" "127.0.0.1"))
  (udp-close r)
  (udp-close s))

(scenario "multicast loopback to the sending socket itself"
  (define s (udp-open-socket))
  (define buf (make-bytes 8 46))
  (udp-bind! s #f 0)
  (step (udp-multicast-join-group! s "239.255.0.10" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-send-to s "239.255.0.10" (port-of s) #"self"))
  (step (let-values ([(n h p) (udp-receive! s buf)]) (list n h (= p (port-of s)))))
  (udp-close s))

(scenario "multicast ttl 0 still loops back locally"
  (define r (udp-open-socket))
  (define s (bound-socket))
  (define buf (make-bytes 8 46))
  (udp-bind! r #f 0)
  (step (port-of s))
  (step (udp-multicast-join-group! r "239.255.0.11" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-set-ttl! s 0))
  (step (udp-send-to s "239.255.0.11" (port-of r) #"ttl0"))
  (step (sync/timeout 1 (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "broadcast is allowed"
  (define s (bound-socket #f))
  ;; the loopback broadcast address: nothing leaves the machine
  (step (udp-send-to s "127.255.255.255" 9 #"bcast"))
  (udp-close s))

(scenario "options on an IPv6 socket"
  (define s (udp-open-socket "::1" #f))
  (step (udp-set-ttl! s 9))
  (step (udp-ttl s))
  (step (udp-multicast-ttl s))
  (step (udp-multicast-set-ttl! s 3))
  (step (udp-multicast-loopback? s))
  (step (udp-multicast-interface s))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-join-group! s "239.255.0.12" #f))
  (step (udp-bind! s "::1" 0))
  (step (list (udp-ttl s) (udp-multicast-ttl s) (udp-multicast-loopback? s) (udp-multicast-interface s)))
  (step (udp-set-receive-buffer-size! s 5000))
  (step (udp-set-ttl! s 0))
  (udp-close s))

(scenario "broadcast from an unbound socket"
  (define s (udp-open-socket))
  (step (udp-send-to s "127.255.255.255" 9 #"b"))
  (step (udp-bound? s))
  (step (udp-send-to* s "127.255.255.255" 9 #"b"))
  (udp-close s))

(scenario "multicast interface given by name"
  (define s (udp-open-socket))
  (step (udp-multicast-set-interface! s "localhost"))
  (step (udp-multicast-interface s))
  (step (udp-multicast-join-group! s "239.255.0.13" "localhost"))
  (step (udp-multicast-leave-group! s "239.255.0.13" "127.0.0.1"))
  (udp-close s))

(scenario "multicast loopback disabled on the sender"
  (define r (udp-open-socket))
  (define s (bound-socket))
  (define buf (make-bytes 8 46))
  (udp-bind! r #f 0)
  (step (udp-multicast-join-group! r "239.255.0.14" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-multicast-set-loopback! s #f))
  (step (udp-send-to s "239.255.0.14" (port-of r) #"noloop"))
  (step (sync/timeout 0.3 (udp-receive!-evt r buf)))
  (udp-close r)
  (udp-close s))

(scenario "two reusable sockets in one group both receive"
  (define m1 (udp-open-socket))
  (define m2 (udp-open-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (udp-bind! m1 #f 0 #t))
  (step (udp-bind! m2 #f (port-of m1) #t))
  (step (port-of s))
  (step (udp-multicast-join-group! m1 "239.255.0.16" "127.0.0.1"))
  (step (udp-multicast-join-group! m2 "239.255.0.16" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-send-to s "239.255.0.16" (port-of m1) #"both"))
  (step (sync/timeout 1 (udp-receive!-evt m1 buf)))
  (step (sync/timeout 1 (udp-receive!-evt m2 buf)))
  (for-each udp-close (list m1 m2 s)))

(scenario "a socket bound to the group address"
  (define g (udp-open-socket))
  (define s (bound-socket))
  (define buf (make-bytes 4 46))
  (step (port-of s))
  (step (udp-bind! g "239.255.0.17" 0))
  (step (udp-addresses g))
  (step (udp-multicast-join-group! g "239.255.0.17" "127.0.0.1"))
  (step (udp-multicast-set-interface! s "127.0.0.1"))
  (step (udp-send-to s "239.255.0.17" (port-of g) #"grp"))
  (step (sync/timeout 1 (udp-receive!-evt g buf)))
  (step (udp-send-to s "127.0.0.1" (port-of g) #"uni"))
  (step (sync/timeout 0.2 (udp-receive!-evt g buf)))
  (udp-close g)
  (udp-close s))

(scenario "udp-set-receive-buffer-size! beyond fixnums"
  (define s (bound-socket))
  (step (udp-set-receive-buffer-size! s (expt 2 59)))
  (step (udp-set-receive-buffer-size! s (expt 2 61)))
  (step (udp-set-receive-buffer-size! s (expt 2 70)))
  (udp-close s)
  (define u (udp-open-socket))
  (step (udp-set-receive-buffer-size! u (expt 2 61)))
  (udp-close u))

(run-scenarios)
