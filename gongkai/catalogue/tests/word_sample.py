# ruff: noqa: E501
"""A passage as Word puts it on the clipboard, for the editor's paste tests."""

# What Word puts on the clipboard (trimmed): mso styles, <o:p>, conditional comments and a
# numbered list written as paragraphs with a typed marker.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8">
<style>p.MsoNormal{mso-style-parent:"";margin:0cm;font-size:10.5pt;}</style></head>
<body lang=ZH-CN style='tab-interval:21.0pt'><!--StartFragment-->
<h1 style='mso-margin-top-alt:auto'><span style='font-family:黑体'>第二章　申报条件<o:p></o:p></span></h1>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span
style='font-family:仿宋_GB2312'>在本市登记注册<o:p></o:p></span></p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span
style='font-family:仿宋_GB2312'>依法纳税<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal style='text-indent:21.0pt'><b><span style='color:red'>咨询电话</span></b><span
style='font-family:仿宋_GB2312'>：0571-12345678<o:p></o:p></span></p>
<!--EndFragment--></body></html>"""
