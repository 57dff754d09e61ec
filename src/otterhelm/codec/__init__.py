"""Byte-exact encoders and decoders for the formats Helm templates touch.

`yaml` follows sigs.k8s.io/yaml over go-yaml v2 (toYaml, values files, fromYaml), `json`
follows Go's encoding/json, `toml` follows BurntSushi/toml, and `gofloat` holds Go's float
formatting that all of them share.
"""
