"""Traditional → simplified Chinese for matching: the characters of complaint language, one pair per entry.

Data, not logic: the flags and the classifier read text in simplified form, so a term written once in
simplified also matches 投訴 or 監管. Not a full converter (no phrase rules, no one-to-many cases); a
character missing here only means its traditional form must be added to the lexicon as its own term.
"""

PAIRS = """
監监 銀银 險险 訴诉 訟讼 體体 記记 錄录 師师 會会 議议 論论 權权 處处 與与 兩两 為为 們们 這这 說说 話话 請请
讓让 還还 時时 間间 題题 過过 對对 應应 當当 經经 濟济 關关 於于 開开 門门 問问 東东 車车 輛辆 賠赔 償偿 單单
據据 辦办 幾几 種种 網网 絡络 電电 號号 碼码 聯联 繫系 係系 統统 務务 業业 態态 員员 實实 現现 國国 際际 報报
紙纸 導导 聞闻 視视 頻频 錢钱 費费 額额 準准 確确 認认 證证 書书 嚴严 緊紧 謝谢 樣样 個个 點点 擊击 買买 賣卖
給给 條条 規规 則则 參参 財财 產产 壽寿 醫医 療疗 護护 傷伤 殘残 幹干 將将 長长 結结 專专 後后 續续 協协 調调
營营 銷销 約约 麼么 沒没 聽听 見见 覺觉 難难 氣气 憤愤 騙骗 瘋疯 殺杀 燒烧 樓楼 滅灭 亂乱 罰罚 諸诸 勞劳 廣广
義义 責责 損损 壞坏 繼继 選选 擇择 擔担 憂忧 慮虑 極极 風风 線线 錯错 誤误 歡欢 顧顾 櫃柜 檯台 臺台 灣湾 馬马
該该 區区 縣县 鎮镇 鄉乡 環环 變变 雜杂 複复 製制 餘余 傳传 聲声 隨随 隻只 衛卫 計计 劃划 學学 習习 試试 驗验
標标 總总 審审 簽签 訂订 諾诺 負负 鬧闹 輕轻 盡尽 歸归 農农 藥药 無无 貓猫 復复 僅仅 廳厅 裝装 補补 強强 壓压
麗丽 齊齐 層层 歲岁 歷历 頭头 髮发 發发 鬥斗 爭争 優优 質质 響响 頁页 顯显 飛飞 鳥鸟 魚鱼 龍龙 讀读 寫写 詞词
語语 課课 測测 臉脸 腦脑 島岛 嶺岭 鐘钟 鐵铁 鋪铺 閉闭 陽阳 陰阴 陳陈 隊队 雙双 雞鸡 離离 雲云 靈灵 靜静 韓韩
預预 領领 飯饭 館馆 養养 餓饿 駕驾 駛驶 騎骑 驚惊
"""

T2S: dict[int, str] = {ord(p[0]): p[1] for p in PAIRS.split()}
