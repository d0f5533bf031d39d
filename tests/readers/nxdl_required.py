"""The required content of the NXmx application definition, and a parser that derives it
from NXmx.nxdl.xml so the list below can be checked against any copy of the NXDL.

The NXDL is LGPL-3.0 (nexusformat/definitions); rather than vendor it, the required
items are listed here by hand, taken from applications/NXmx.nxdl.xml at commit
cf669931ec77d538dc5c69aa97aed59a6e7f7598 (2026-06-11). With TILEBRAGG_NXDL set to a copy
of that file, test_nxdl.py also parses it and checks that this list is still what it
requires.

An item is required when the NXDL gives it neither minOccurs="0" nor optional="true"
nor recommended="true" (fields and groups of an application definition default to
minOccurs 1, attributes to required). Paths name groups by NX class; "@" marks an
attribute; a field's units category follows "|" where it has one.
"""
import xml.etree.ElementTree as ET

REQUIRED = [
    "NXentry",
    "NXentry/start_time",
    "NXentry/end_time_estimated",
    "NXentry/definition",
    "NXentry/NXdata",
    "NXentry/NXsample",
    "NXentry/NXsample/name",
    "NXentry/NXsample/depends_on",
    "NXentry/NXinstrument",
    "NXentry/NXinstrument/name",
    "NXentry/NXinstrument/NXdetector",
    "NXentry/NXinstrument/NXdetector/NXdetector_module",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/data_origin",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/data_size",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/module_offset@transformation_type",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/module_offset@vector",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/module_offset@offset",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/module_offset@depends_on",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/fast_pixel_direction|NX_LENGTH",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/fast_pixel_direction@transformation_type",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/fast_pixel_direction@vector",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/fast_pixel_direction@offset",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/fast_pixel_direction@depends_on",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/slow_pixel_direction|NX_LENGTH",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/slow_pixel_direction@transformation_type",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/slow_pixel_direction@vector",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/slow_pixel_direction@offset",
    "NXentry/NXinstrument/NXdetector/NXdetector_module/slow_pixel_direction@depends_on",
    "NXentry/NXinstrument/NXdetector/sensor_material",
    "NXentry/NXinstrument/NXdetector/sensor_thickness|NX_LENGTH",
    "NXentry/NXinstrument/NXbeam",
    "NXentry/NXinstrument/NXbeam/incident_wavelength|NX_WAVELENGTH",
    "NXentry/NXsource",
    "NXentry/NXsource/name",
]

NS = "{http://definition.nexusformat.org/nxdl/3.1}"


def _required(element):
    if element.get("optional") == "true" or element.get("recommended") == "true":
        return False
    return element.get("minOccurs", "1") != "0"


def parse(path):
    """The REQUIRED-style list of an NXDL file. Attributes of an optional field count
    (they are required whenever the field is there), which is how module_offset's appear."""
    out = []

    def walk(element, prefix):
        for child in element:
            tag = child.tag.replace(NS, "")
            if tag == "group":
                if not _required(child):
                    continue
                path = f"{prefix}/{child.get('type')}" if prefix else child.get("type")
                out.append(path)
                walk(child, path)
            elif tag == "field":
                path = f"{prefix}/{child.get('name')}"
                if _required(child):
                    units = child.get("units")
                    out.append(path + (f"|{units}" if units else ""))
                walk(child, path)
            elif tag == "attribute" and _required(child) and prefix:
                out.append(f"{prefix}@{child.get('name')}")

    walk(ET.parse(path).getroot(), "")
    return out
