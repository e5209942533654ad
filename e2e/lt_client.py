#!/usr/bin/python3
"""A libtorrent client for Djembe's end-to-end test, controlled over stdin/stdout.

Usage:
  lt_client.py --torrent FILE --save-dir DIR (--seed | --download) [--port N] [--log FILE]
  lt_client.py --create --file FILE --out FILE.torrent [--announce URL]

Control protocol (one command a line on stdin, one JSON line answered on stdout):
  status      {"ok": true, "state": ..., "progress": ..., "uploaded": ..., ...}
  reannounce  force a re-announce to every tracker now
  stop        pause the torrent (libtorrent sends the `stopped` announce), wait
              for the tracker's answer, then exit
The first line on stdout, before any command, is {"ok": true, "ready": true, "port": N}.
End of input acts as `stop`. Alerts (tracker requests, replies, errors, peers)
go to the log file, one line each, for the test to attach when it fails.

Run it with /usr/bin/python3: the Debian interpreter is the one that sees
python3-libtorrent.
"""

import argparse
import faulthandler
import json
import os
import queue
import sys
import threading
import time

import libtorrent as lt

STOP_TIMEOUT = 10.0  # seconds to wait for the tracker's answer to `stopped`


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--torrent", help=".torrent to seed or download")
    p.add_argument("--save-dir", help="directory holding (or receiving) the data")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--seed", action="store_true", help="the data is complete: seed it")
    mode.add_argument("--download", action="store_true", help="download the data")
    p.add_argument("--port", type=int, default=0, help="listen port on 127.0.0.1 (0: any)")
    p.add_argument("--log", default=os.devnull, help="file receiving the alert log")
    p.add_argument("--create", action="store_true", help="create a v1-only private .torrent and exit")
    p.add_argument("--file", help="with --create: the file to describe")
    p.add_argument("--out", help="with --create: where to write the .torrent")
    p.add_argument("--announce", default="", help="with --create: announce URL")
    a = p.parse_args()
    if a.create:
        if not a.file or not a.out:
            p.error("--create needs --file and --out")
    elif not (a.torrent and a.save_dir and (a.seed or a.download)):
        p.error("need --torrent, --save-dir and --seed or --download")
    return a


def create_torrent(path, out, announce):
    """Writes a v1-only private .torrent describing one file and prints its info hash."""
    fs = lt.file_storage()
    lt.add_files(fs, path)
    t = lt.create_torrent(fs, 0, flags=lt.create_torrent.v1_only)
    t.set_priv(True)
    if announce:
        t.add_tracker(announce)
    lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(path)))
    data = lt.bencode(t.generate())
    with open(out, "wb") as f:
        f.write(data)
    info = lt.torrent_info(out)
    print(json.dumps({"ok": True, "info_hash": str(info.info_hashes().v1)}), flush=True)


def session_settings(port):
    """Settings for a client alone on loopback: no discovery, every peer at 127.0.0.1."""
    return {
        "listen_interfaces": "127.0.0.1:%d" % port,
        "outgoing_interfaces": "127.0.0.1",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "allow_multiple_connections_per_ip": True,
        "min_announce_interval": 1,
        "announce_to_all_trackers": True,
        "announce_to_all_tiers": True,
        "stop_tracker_timeout": 5,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.connect_notification
        | lt.alert.category_t.peer_notification,
    }


class Client:
    """One session with one torrent; a thread pumps alerts into the log."""

    def __init__(self, args):
        self.log = open(args.log, "a", buffering=1)
        self.session = lt.session(session_settings(args.port))
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(args.torrent)
        atp.save_path = args.save_dir
        if args.seed:
            atp.flags |= lt.torrent_flags.seed_mode
        atp.flags &= ~lt.torrent_flags.auto_managed
        atp.flags &= ~lt.torrent_flags.paused
        self.handle = self.session.add_torrent(atp)
        self.lock = threading.Lock()
        self.stopped_answers = queue.Queue()
        self.stopped_sent = threading.Event()
        self.closing = threading.Event()
        self.pump = threading.Thread(target=self.pump_alerts, daemon=True)
        self.pump.start()

    def note(self, text):
        self.log.write("%.3f %s\n" % (time.time(), text))

    def pump_alerts(self):
        # The bindings crash (SIGSEGV) when another thread calls into the
        # session while this one waits for alerts, so every session and handle
        # call holds self.lock, and this thread polls instead of waiting inside.
        while not self.closing.is_set():
            with self.lock:
                alerts = self.session.pop_alerts()
                for a in alerts:
                    self.note("%s: %s" % (type(a).__name__, a.message()))
                    self.watch_stopped(a)
            time.sleep(0.05)

    def watch_stopped(self, a):
        """Queues the tracker's answer to the `stopped` announce once it was sent."""
        if isinstance(a, lt.tracker_announce_alert) and a.event == lt.event_t.stopped:
            self.stopped_sent.set()
        elif self.stopped_sent.is_set() and isinstance(
            a, (lt.tracker_reply_alert, lt.tracker_error_alert, lt.tracker_warning_alert)
        ):
            self.stopped_answers.put("%s: %s" % (type(a).__name__, a.message()))

    def port(self):
        with self.lock:
            return self.session.listen_port()

    def status(self):
        with self.lock:
            s = self.handle.status()
        return {
            "ok": True,
            "state": str(s.state),
            "progress": s.progress,
            "paused": s.paused,
            "is_seeding": s.is_seeding,
            "total_done": s.total_done,
            "uploaded": s.all_time_upload,
            "downloaded": s.all_time_download,
            "num_peers": s.num_peers,
            "tracker": s.current_tracker,
            "error": str(s.errc.message()) if s.errc.value() else "",
        }

    def reannounce(self):
        with self.lock:
            self.handle.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
        return {"ok": True}

    def stop(self):
        """Pauses the torrent (libtorrent announces `stopped`) and waits for the answer."""
        with self.lock:
            self.handle.unset_flags(lt.torrent_flags.auto_managed)
            self.handle.pause(lt.torrent_handle.graceful_pause)
        try:
            answer = self.stopped_answers.get(timeout=STOP_TIMEOUT)
        except queue.Empty:
            answer = "no tracker answer within %.0fs" % STOP_TIMEOUT
        self.note("stop: " + answer)
        return {"ok": True, "stopped": answer, "status": self.status()}

    def close(self):
        self.closing.set()
        self.pump.join(2)
        del self.session
        self.log.close()


def serve_commands(client):
    """Answers commands from stdin until `stop` or end of input."""
    print(json.dumps({"ok": True, "ready": True, "port": client.port()}), flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "status":
            out = client.status()
        elif cmd == "reannounce":
            out = client.reannounce()
        elif cmd == "stop":
            print(json.dumps(client.stop()), flush=True)
            return
        else:
            out = {"ok": False, "error": "unknown command %r" % cmd}
        print(json.dumps(out), flush=True)
    client.stop()


def main():
    faulthandler.enable()  # a native crash in libtorrent prints a traceback to stderr
    args = parse_args()
    if args.create:
        create_torrent(args.file, args.out, args.announce)
        return
    client = Client(args)
    try:
        serve_commands(client)
    finally:
        client.close()


if __name__ == "__main__":
    main()
