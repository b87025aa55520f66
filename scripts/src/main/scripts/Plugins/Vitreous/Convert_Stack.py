#@ File (label="Input (MRC, MRCS, CCP4 or TIFF)") input
#@ File (label="Output (.mrc, .mrcs or .tif)", style="save") output
#@ String (label="MRC mode", choices={"keep", "0", "1", "2", "6", "12"}, value="keep") mode
#@ Integer (label="First image", value=1, min=1) first
#@ Integer (label="Last image (0: the last)", value=0, min=0) last
#@ CommandService commands
#@output String header

# Converts a stack or map, then reports the new file's header: two Vitreous commands called from a script, as a
# workflow would. Runs the same in Fiji's script editor and headless:
#   ./vitreous run scripts/src/main/scripts/Plugins/Vitreous/Convert_Stack.py 'input=a.mrcs,output=b.mrcs,mode=12'
from org.vitreous.plugins.tools import ConvertCommand, HeaderCommand


def run_command(command, inputs):
    module = commands.run(command, True, inputs).get()
    if module.isCanceled():
        raise ValueError(module.getCancelReason())
    return module

run_command(ConvertCommand, {"input": input, "output": output, "mode": mode, "pixelSize": 0.0,
                             "first": first, "last": last})
if output.getName().lower().endswith((".tif", ".tiff")):
    header = '{"file": "%s", "format": "TIFF"}' % output.getPath()
else:
    header = run_command(HeaderCommand, {"input": output}).getOutput("header")
