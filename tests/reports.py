"""The small reports the tests share: one copy of each, named for what it is.

Tests used to carry their own copies, which drifted apart (one gained a
sentence, another lost a placeholder). Change a report here and every test
that uses it sees the change; a test that needs a variant builds it from one
of these (.replace, + a line) so that the difference is in view.
"""

# A county bureau's report with the five required parts and little else in
# them: passes (the structure is sound), with a middling score.
FIVE_PARTS = """某县司法局2024年度法治政府建设工作报告
一、2024年推进法治政府建设的主要举措和成效
全年审查合同12件，聘请法律顾问1名。
二、存在的不足和原因
执法力量薄弱，究其原因在于编制不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人召开专题会议3次。
四、2025年主要安排
加强执法队伍建设。
五、其他需要报告的情况
无。
"""

# A town's report with two parts, neither of the required ones: fails.
MISSING_PARTS = """某镇2024年度法治政府建设工作报告
一、工作开展情况
全年审查合同12件。
二、下一步工作计划
加强执法队伍建设。
"""

# A town's full report: every part, the elements the rules look for, (一)-(七)
# in order, causes analysed: passes with a high score.
TOWN = """某县青山镇2023年度法治政府建设工作报告
2023年，青山镇坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下。
一、上一年度推进法治政府建设的主要举措和成效
（一）依法决策。全年重大行政决策均履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定程序，共3项。聘请法律顾问1名，审查合同12份。
（二）规范执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，公示执法信息45条。
（三）领导干部学法。党委理论学习中心组学法6次，会前学法12次。
（四）规范性文件。全年制定行政规范性文件2件，均经合法性审核并报备案。
（五）政务公开。主动公开政府信息320条，办理依申请公开2件。
（六）化解纠纷。排查调解矛盾纠纷56件，调解成功率98%。全年发生行政复议案件1件、行政诉讼案件1件，负责人出庭应诉1次。
（七）普法。落实“谁执法谁普法”普法责任制，开展以案释法8次。
二、存在的不足和原因
一是执法人员专业能力不足；二是普法形式单一。究其原因，主要在于培训投入不够，创新意识不强。
三、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长对法治建设重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办，年终述职时进行述法。
四、下一年度推进法治政府建设的主要安排
（一）加强执法培训。（二）创新普法方式。
五、其他需要报告的情况
无。
"""

# A township's thin report (某某乡): parts missing, (三) skipped, no causes: fails.
TOWNSHIP = """某某乡2023年法治政府建设情况报告
一、主要工作
（一）加强学习。组织干部学习法律知识。
（二）依法决策。重大事项经集体讨论决定。下一年度将开展专家论证、风险评估。
（四）普法宣传。开展普法宣传活动3次。
二、存在的问题
一是宣传不够深入；二是队伍力量薄弱。
三、下一步工作
继续加强法治建设。
"""
