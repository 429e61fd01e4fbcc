"""Opens an .xlsx in LibreOffice Calc (headless), types values into cells, saves it as .xlsx with Calc.

usage: calc-edit.py IN.xlsx OUT.xlsx '[{"sheet": 2, "cell": "F5", "value": "met"}]' PROFILE_DIR
"""
import json
import os
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    source, target, edits, profile = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    port = free_port()
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
        "-env:UserInstallation=file://" + profile,
        "--accept=socket,host=127.0.0.1,port=%d;urp;" % port,
    ])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        context = None
        for _ in range(240):
            try:
                context = resolver.resolve(
                    "uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % port)
                break
            except Exception:
                time.sleep(0.5)
        if context is None:
            raise SystemExit("Calc did not start")
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (prop("Hidden", True),))
        sheets = document.Sheets
        for edit in edits:
            sheet = sheets.getByIndex(edit["sheet"] - 1)
            cell = sheet.getCellRangeByName(edit["cell"])
            # setFormula is what typing does: "=..." becomes a formula, anything else a value.
            cell.setFormula(edit["value"])
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (prop("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


main()
