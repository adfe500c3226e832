#!/usr/bin/env python3
"""Writes the billing side of a sample capture: OCPI 2.2.1 CDRs and an EVSE map.

Why: `ocppscope reconcile` needs CDRs to compare with the sessions of a
capture, and a README example is only honest if the discrepancies it shows
were put there on purpose. This script reads the capture's truth file (the
simulator's own record of its transactions, not the decoder's) and bills
every finished session the way a CSMS would, then plants exactly five
discrepancies:

  * energy_mismatch      CP0004's session is billed 1.000 kWh more than metered
  * token_mismatch       CP0005's second session is billed to another card
  * duplicate_cdr        the first session of "CP 0003-Süd" is billed twice (new CDR id)
  * cdr_without_session  a CDR for CP0001 at 07:20-07:50, when no session ran there
  * session_without_cdr  the second session of "CP 0003-Süd" is never billed

Sessions still running when the capture ends are not billed (no CDR is due
yet). CP0002's CDRs carry the CSMS's receipt times, 97 s behind the
charger's clock (its clockOffsetSeconds): within the default time tolerance.
The CDRs of "CP 0003-Süd" round energy to 0.01 kWh, as some backends do.

Run from the repository root (stdlib only; the output is byte-identical on
every run):

    python3 scripts/make-sample-cdrs.py [--truth samples/fleet-small.pcap.truth.json]
        [--cdrs samples/fleet-small.cdrs.json] [--evse-map samples/fleet-small.evse-map.csv]
"""
import argparse
import datetime as dt
import json
import os

PRICE_EXCL_VAT = 0.39  # EUR per kWh
VAT = 0.19
PARTY = ("DE", "OSC")

# The planted discrepancies, by the truth's transaction id / charge point.
ENERGY_MISMATCH_TX = "a8ca68c0-00fc-4ace-a476-b6257208baaa"   # CP0004: +1000 Wh billed
TOKEN_MISMATCH_TX = "e8ef29cf-d260-48ee-bd42-f9385918a8ce"    # CP0005: billed to another card
OTHER_CARD = "04A1B2C3D4E5F6"
DUPLICATE_TX = "7633"                                          # CP 0003-Süd: billed twice
UNBILLED_TX = "7635"                                           # CP 0003-Süd: never billed
PHANTOM = {"identity": "CP0001", "port": 1, "token": "C0F0CFFD2F9E33",
           "start": "2025-03-03T07:20:00Z", "end": "2025-03-03T07:49:30Z", "energy_wh": 4210}


def parse_time(s):
    return dt.datetime.strptime(s.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z" if "." in s else "%Y-%m-%dT%H:%M:%S%z")


def ocpi_time(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", default=os.path.join(root, "samples", "fleet-small.pcap.truth.json"))
    ap.add_argument("--cdrs", default=os.path.join(root, "samples", "fleet-small.cdrs.json"))
    ap.add_argument("--evse-map", default=os.path.join(root, "samples", "fleet-small.evse-map.csv"))
    args = ap.parse_args()

    with open(args.truth, encoding="utf-8") as f:
        truth = json.load(f)

    # One OCPI EVSE per OCPP port: 1.6 connectors, 2.x EVSEs.
    evses = {}   # (identity, port) -> (evse_id, evse_uid, location index)
    cps = {}
    for n, cp in enumerate(truth["chargePoints"], start=1):
        cps[cp["identity"]] = cp
        ports = cp.get("evses") or cp.get("connectors") or 1
        for port in range(1, ports + 1):
            evses[(cp["identity"], port)] = (f"{PARTY[0]}*{PARTY[1]}*E{n:04d}*{port}", f"E{n:04d}-{port}", n)

    def port_of(t):
        return t["evse"] if t.get("evse") is not None else t["connector"]

    def cdr(identity, port, token, start, end, energy_wh, auth_method, decimals=3):
        evse_id, evse_uid, loc = evses[(identity, port)]
        cp = cps[identity]
        kwh = round(energy_wh / 1000, decimals)
        hours = round((end - start).total_seconds() / 3600, 4)
        excl = round(kwh * PRICE_EXCL_VAT, 2)
        incl = round(excl * (1 + VAT), 2)
        dc = cp.get("model") == "S-Series"
        return {
            "country_code": PARTY[0], "party_id": PARTY[1], "id": None,
            "start_date_time": ocpi_time(start), "end_date_time": ocpi_time(end),
            "cdr_token": {"country_code": PARTY[0], "party_id": PARTY[1], "uid": token, "type": "RFID",
                          "contract_id": f"DE-OSC-C{token[:8]}"},
            "auth_method": auth_method,
            "cdr_location": {
                "id": f"LOC{loc:04d}", "name": f"Sample site {loc}", "address": f"Musterstrasse {loc}",
                "city": "Berlin", "postal_code": "10115", "country": "DEU",
                "coordinates": {"latitude": "52.5200", "longitude": "13.4050"},
                "evse_uid": evse_uid, "evse_id": evse_id, "connector_id": "1",
                "connector_standard": "IEC_62196_T2_COMBO" if dc else "IEC_62196_T2",
                "connector_format": "CABLE" if dc else "SOCKET",
                "connector_power_type": "DC" if dc else "AC_3_PHASE",
            },
            "currency": "EUR",
            "tariffs": [{"country_code": PARTY[0], "party_id": PARTY[1], "id": "AC-039", "currency": "EUR",
                         "elements": [{"price_components": [{"type": "ENERGY", "price": PRICE_EXCL_VAT, "vat": VAT * 100,
                                                              "step_size": 1}]}],
                         "last_updated": "2025-01-01T00:00:00Z"}],
            "charging_periods": [{"start_date_time": ocpi_time(start), "tariff_id": "AC-039",
                                  "dimensions": [{"type": "ENERGY", "volume": kwh}, {"type": "TIME", "volume": hours}]}],
            "total_cost": {"excl_vat": excl, "incl_vat": incl},
            "total_energy": kwh,
            "total_energy_cost": {"excl_vat": excl, "incl_vat": incl},
            "total_time": hours,
            "last_updated": ocpi_time(end + dt.timedelta(minutes=2)),
        }

    cdrs = []
    for t in truth["transactions"]:
        if t["stop"] is None or t["transactionId"] == UNBILLED_TX:
            continue
        identity = t["identity"]
        # The CSMS bills with the charger's timestamps, except for CP0002 whose
        # CSMS stamps receipt times (the charger's clock runs ahead).
        offset = dt.timedelta(seconds=cps[identity].get("clockOffsetSeconds", 0) if identity == "CP0002" else 0)
        start = parse_time(t["start"]).replace(microsecond=0) - offset
        end = parse_time(t["stop"]).replace(microsecond=0) - offset
        energy = t["energyWh"] + (1000 if t["transactionId"] == ENERGY_MISMATCH_TX else 0)
        token = OTHER_CARD if t["transactionId"] == TOKEN_MISMATCH_TX else t["idTag"]
        decimals = 2 if identity == "CP 0003-Süd" else 3
        c = cdr(identity, port_of(t), token, start, end, energy, "COMMAND" if t["remoteStart"] else "WHITELIST", decimals)
        cdrs.append(c)
        if t["transactionId"] == DUPLICATE_TX:
            again = json.loads(json.dumps(c))
            again["last_updated"] = ocpi_time(end + dt.timedelta(hours=1))
            cdrs.append(again)
    p = PHANTOM
    cdrs.append(cdr(p["identity"], p["port"], p["token"], parse_time(p["start"]), parse_time(p["end"]), p["energy_wh"], "WHITELIST"))

    cdrs.sort(key=lambda c: (c["start_date_time"], c["last_updated"]))
    day = cdrs[0]["start_date_time"][:10].replace("-", "")
    for i, c in enumerate(cdrs, start=1):
        c["id"] = f"CDR-{day}-{i:03d}"

    envelope = {"data": cdrs, "status_code": 1000, "status_message": "Success", "timestamp": "2025-03-03T09:05:00Z"}
    with open(args.cdrs, "w", encoding="utf-8") as f:
        json.dump(envelope, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(args.evse_map, "w", encoding="utf-8") as f:
        f.write("evse_id,charge_point,connector\n")
        for (identity, port), (evse_id, _, _) in evses.items():
            f.write(f"{evse_id},{identity},{port}\n")
    print(f"wrote {len(cdrs)} CDRs to {os.path.relpath(args.cdrs)} and {len(evses)} EVSEs to {os.path.relpath(args.evse_map)}")


if __name__ == "__main__":
    main()
