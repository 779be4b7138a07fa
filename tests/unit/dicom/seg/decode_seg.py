"""Independent decode of a DICOM-SEG against its source series (pydicom).

Usage: decode_seg.py SPEC.json   (run with /usr/bin/python3)

SPEC: {"seg": path, "slices": [{"file": path, "frame": int|null}, ...] (the exporter's
sorted grid), "segments": [{"number": n, "volume": raw uint8 file, "value": v}, ...]}.

Every SEG frame is placed twice, without trusting the exporter's slice order:
by its Derivation Image reference (ReferencedSOPInstanceUID + ReferencedFrameNumber)
and by its PlanePosition (ImagePositionPatient, matched against the source slices'
own positions read here, with the shared orientation checked). Prints JSON with the
Dice of each segment against the exported mask for both placements.
"""
import json
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np
import pydicom


def seq0(ds, keyword):
    value = getattr(ds, keyword, None)
    return value[0] if value else None


def source_geometry(ds, frame):
    """(position, orientation) of one source slice: top level, then shared, then per-frame groups."""
    pos = getattr(ds, "ImagePositionPatient", None)
    ori = getattr(ds, "ImageOrientationPatient", None)
    per_frame = getattr(ds, "PerFrameFunctionalGroupsSequence", None)
    for item in (seq0(ds, "SharedFunctionalGroupsSequence"), per_frame[frame or 0] if per_frame else None):
        if item is None:
            continue
        pp = seq0(item, "PlanePositionSequence")
        po = seq0(item, "PlaneOrientationSequence")
        if pp is not None:
            pos = pp.ImagePositionPatient
        if po is not None:
            ori = po.ImageOrientationPatient
    as_array = lambda v: None if v is None else np.array([float(x) for x in v])
    return as_array(pos), as_array(ori)


def main():
    spec = json.load(open(sys.argv[1]))
    seg = pydicom.dcmread(spec["seg"])
    out = {"errors": []}
    if seg.SOPClassUID != "1.2.840.10008.5.1.4.1.1.66.4" or seg.SegmentationType != "BINARY":
        raise SystemExit("not a BINARY segmentation")
    pixels = seg.pixel_array
    if pixels.ndim == 2:
        pixels = pixels[np.newaxis]
    rows, cols = int(seg.Rows), int(seg.Columns)
    sources = {}
    by_key = {}
    positions = []
    for k, s in enumerate(spec["slices"]):
        ds = sources.get(s["file"]) or pydicom.dcmread(s["file"], stop_before_pixels=True)
        sources[s["file"]] = ds
        pos, ori = source_geometry(ds, s["frame"])
        key = (ds.SOPInstanceUID, None if s["frame"] is None else s["frame"] + 1)
        by_key[key] = k
        positions.append((pos, ori))
    nz = len(spec["slices"])
    shared = seq0(seg, "SharedFunctionalGroupsSequence")
    seg_ori = None
    if shared is not None and seq0(shared, "PlaneOrientationSequence") is not None:
        seg_ori = np.array([float(x) for x in seq0(shared, "PlaneOrientationSequence").ImageOrientationPatient])
    decoded_uid, decoded_pos = {}, {}
    for f, group in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(seq0(group, "SegmentIdentificationSequence").ReferencedSegmentNumber)
        src = seq0(seq0(group, "DerivationImageSequence"), "SourceImageSequence")
        ref_frame = int(src.ReferencedFrameNumber) if "ReferencedFrameNumber" in src else None
        k_uid = by_key.get((src.ReferencedSOPInstanceUID, ref_frame))
        if k_uid is None:
            out["errors"].append(f"frame {f + 1}: reference {src.ReferencedSOPInstanceUID} frame {ref_frame} not in the source")
        else:
            decoded_uid.setdefault(number, np.zeros((nz, rows, cols), np.uint8))[k_uid] |= pixels[f]
        pp = seq0(group, "PlanePositionSequence")
        if pp is None:
            continue
        ipp = np.array([float(x) for x in pp.ImagePositionPatient])
        matches = [k for k, (pos, ori) in enumerate(positions) if pos is not None and np.abs(pos - ipp).max() < 1e-3 and (seg_ori is None or np.abs(ori - seg_ori).max() < 1e-4)]
        if len(matches) != 1:
            out["errors"].append(f"frame {f + 1}: position {ipp.tolist()} matches {len(matches)} source slices")
            continue
        decoded_pos.setdefault(number, np.zeros((nz, rows, cols), np.uint8))[matches[0]] |= pixels[f]
    results = []
    for s in spec["segments"]:
        volume = np.fromfile(s["volume"], np.uint8)
        expected = (volume.reshape(nz, rows, cols) == s["value"]).astype(np.uint8)

        def dice(got):
            if got is None:
                return 0.0
            both = int((got & expected).sum())
            total = int(got.sum()) + int(expected.sum())
            return 1.0 if total == 0 else 2.0 * both / total

        results.append({"number": s["number"], "voxels": int(expected.sum()), "diceByUid": dice(decoded_uid.get(s["number"])), "diceByPosition": dice(decoded_pos.get(s["number"])) if decoded_pos else None})
    out["segments"] = results
    out["frames"] = int(seg.NumberOfFrames)
    print(json.dumps(out))


main()
