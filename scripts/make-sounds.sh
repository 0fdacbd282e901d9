#!/usr/bin/env bash
# Butterfly's own sounds, synthesized with SoX (Debian: apt-get install sox; Ogg Vorbis comes with it, in
# libsox-fmt-base) and written to assets/sounds/ (or $BUTTERFLY_SOUNDS_OUT) as Ogg Vorbis, mono, 22.05 kHz — a few
# KB each. Run it again after changing a recipe:
#   bash scripts/make-sounds.sh
# -R makes SoX repeatable (a fixed seed), so the same recipe gives the same bytes (scripts/make-sounds.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BUTTERFLY_SOUNDS_OUT:-assets/sounds}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
command -v sox >/dev/null || { echo "make-sounds: SoX is not installed (Debian: apt-get install sox)" >&2; exit 1; }
sox -h | grep -q ' vorbis ' || { echo "make-sounds: this SoX cannot write Ogg Vorbis" >&2; exit 1; }

# One note: a sine (or another waveform) with a quick attack and a decay to silence.
note() { # file seconds waveform frequency [gain dB]
  sox -R -n -r 22050 -c 1 -b 16 "$work/$1.wav" synth "$2" "$3" "$4" fade q 0.006 "$2" "$(awk "BEGIN { print $2 * 0.8 }")" gain "${5:--6}"
}
encode() { # name parts…
  local name=$1
  shift
  sox -R "${@/#/$work/}" -C 0 "$out/$name.ogg" norm -3
}

# New message: two bright notes rising a fifth (E6, B6), the second one ringing a little longer.
note m1 0.09 sine 1318.5
note m2 0.22 sine 1975.5
encode new-message m1.wav m2.wav

# Nudge: a low buzz that rattles — a square wave at 98 Hz with a fast tremolo, like a phone shaking on a table.
sox -R -n -r 22050 -c 1 -b 16 "$work/n1.wav" synth 0.42 square 98 gain -12 tremolo 28 90 lowpass 1800 fade q 0.01 0.42 0.12
encode nudge n1.wav

# Contact online: a soft rising arpeggio (C6, E6, G6) on a triangle wave, each note overlapping the last a little.
note o1 0.1 triangle 1046.5
note o2 0.1 triangle 1318.5
note o3 0.24 triangle 1568
encode contact-online o1.wav o2.wav o3.wav

ls -l "$out"
