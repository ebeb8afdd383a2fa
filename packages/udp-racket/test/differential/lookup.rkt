#lang racket/base
;; Group "lookup": name-lookup failures.  Racket 8.7 is broken after a failed lookup (the next
;; blocking call kills the process, racket/racket#4470; reference/racket-udp.md "Racket 8.7
;; bugs"), so each scenario here runs in its own racket process and fails a lookup LAST.
(require "harness.rkt")

(define bad "no-such-host.invalid")

(scenario "lookup: udp-open-socket without a port"
  (step (udp-open-socket bad #f)))

(scenario "lookup: udp-open-socket with a port"
  (step (udp-open-socket bad 53)))

(scenario "lookup: udp-bind!"
  (define s (udp-open-socket))
  (udp-close s)
  (define t (udp-open-socket))
  (step (udp-bind! t bad 0))
  (step (udp-bound? t)))

(scenario "lookup: udp-connect!"
  (define s (udp-open-socket))
  (step (udp-connect! s bad 53))
  (step (udp-connected? s)))

(scenario "lookup: udp-send-to"
  (define s (udp-open-socket))
  (step (udp-send-to s bad 53 #"x"))
  (step (udp-bound? s)))

(scenario "lookup: udp-send-to/enable-break"
  (define s (udp-open-socket))
  (step (udp-send-to/enable-break s bad 53 #"x")))

(scenario "lookup: udp-send-to-evt when synced"
  (define s (udp-open-socket))
  ;; Racket looks the name up when the evt is made; TS may do it when the evt is synced
  (step (sync/timeout 2 (udp-send-to-evt s bad 53 #"x"))))

(scenario "lookup: udp-multicast-join-group! group"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s bad #f)))

(scenario "lookup: udp-multicast-join-group! interface"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "239.255.0.1" bad)))

(scenario "lookup: udp-multicast-leave-group! group"
  (define s (udp-open-socket))
  (step (udp-multicast-leave-group! s bad "127.0.0.1")))

(scenario "lookup: udp-multicast-set-interface!"
  (define s (udp-open-socket))
  (step (udp-multicast-set-interface! s bad)))

(scenario "lookup: an empty host name in udp-open-socket"
  (step (udp-open-socket "" #f)))

(scenario "lookup: an empty host name in udp-send-to"
  (define s (udp-open-socket))
  (step (udp-send-to s "" 53 #"x")))

(scenario "lookup: an empty host name in udp-connect!"
  (define s (udp-open-socket))
  (step (udp-connect! s "" 53)))

(scenario "lookup: a malformed dotted address"
  (define s (udp-open-socket))
  (step (udp-bind! s "127.0.0.1.5" 0)))

(scenario "lookup: an IPv6 multicast interface on an IPv4 socket"
  (define s (udp-open-socket))
  (step (udp-multicast-set-interface! s "::1")))

(scenario "lookup: an IPv6 multicast group on an IPv4 socket"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "ff02::1" #f)))

(scenario "lookup: an IPv6 interface for an IPv4 group"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "239.255.0.1" "::1")))

(scenario "lookup: an empty host name in udp-bind!"
  (define s (udp-open-socket))
  (step (udp-bind! s "" 0)))

(scenario "lookup: an empty multicast group"
  (define s (udp-open-socket))
  (step (udp-multicast-join-group! s "" #f)))

(scenario "lookup: an address with a trailing space"
  (define s (udp-open-socket))
  (step (udp-send-to s "127.0.0.1 " 9 #"x")))

(scenario "lookup: a host name with a newline, a quote and non-ASCII"
  (define s (udp-open-socket))
  (step (udp-send-to s "no such\nhost\"é" 53 #"x")))

(scenario "lookup: a 300-character host name is printed whole"
  (define s (udp-open-socket))
  (step (udp-send-to s (make-string 300 #\b) 53 #"x")))

(scenario "lookup: a NUL inside a host name"
  (define s (udp-open-socket))
  (step (udp-bind! s "a\u0000b" 0)))

(scenario "lookup: full-width and non-ASCII names are not IDNA-mapped"
  ;; glibc's getaddrinfo without AI_IDN: "ＬＯＣＡＬＨＯＳＴ" is not "localhost"
  (define s (udp-open-socket))
  (step (udp-send-to s "ＬＯＣＡＬＨＯＳＴ" 53 #"x")))

(scenario "lookup: a scope id on a non-link-local IPv6 address"
  (define s (udp-open-socket "::1" #f))
  (step (udp-send-to s "::1%lo" 9 #"x")))

(scenario "lookup: a bracketed IPv6 address"
  (define s (udp-open-socket "::1" #f))
  (step (udp-send-to s "[::1]" 9 #"x")))

(scenario "lookup: trailing dots"
  (define s (udp-open-socket))
  (step (udp-send-to s "127.0.0.1." 9 #"x")))

(scenario "lookup: the process stays healthy afterwards"
  ;; DIVERGENCE (reference: Racket 8.7 bugs, racket/racket#4470): Racket dies at the first
  ;; blocking call after the failed lookup; ours carries on.
  (define r (udp-open-socket))
  (define s (udp-open-socket))
  (define buf (make-bytes 4 46))
  (udp-bind! r "127.0.0.1" 0)
  (udp-bind! s "127.0.0.1" 0)
  (step (port-of s))
  (step (udp-send-to s bad 53 #"x"))
  (step (udp-send-to s "127.0.0.1" (port-of r) #"okay"))
  (step/within 1 (udp-receive! r buf))
  (step buf))

(run-scenarios)
