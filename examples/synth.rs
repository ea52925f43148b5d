//! Writes a synthetic national directory for benchmarks, shaped like a real one: about 300
//! places in a region → province → city → district hierarchy (the real vocabulary of
//! `content/terms/places.yaml` first, then more real provinces and cities and generated
//! districts), 40 sectors, N/20 operators and N enclaves with Chinese descriptions of 600–1,200
//! characters. References are written as ids, Chinese names, English names and aliases, as
//! editors do. The same seed always writes the same site.
//!
//! ```sh
//! cargo run --release --example synth -- OUT_DIR N [--seed S] [--hugo HUGO_DIR]
//! ```
//!
//! `--hugo HUGO_DIR` also writes the same directory as a Hugo site (content with taxonomies for
//! sectors, hosts, homes, models and operators, host and home rolled up to their city, province
//! and region), with the layouts and configuration of `benches/hugo/`, for comparison.
//!
//! Safety: an output folder must be missing, empty, or one this generator wrote before (it
//! holds the marker file `.feidi-synth`); only then are the generator's own entries in it
//! (`content/`, and for Hugo `layouts/` and `config.toml`) replaced. Anything else is refused.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

/// The file that marks a folder as written by this generator.
const MARKER: &str = ".feidi-synth";

/// SplitMix64: small, fast and deterministic, so every run with one seed writes the same site.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index chosen with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary tables: real provinces, cities and hub districts added to the real places.

/// Provinces (and one region) added to the real list: id, name, English name, aliases, region, lat, lon.
/// id, name, English name, aliases, region, lat, lon.
type ProvinceRow = (&'static str, &'static str, &'static str, &'static [&'static str], &'static str, f64, f64);

const NEW_PROVINCES: &[ProvinceRow] = &[
    (
        "chengdu-chongqing",
        "成渝地区双城经济圈",
        "Chengdu-Chongqing Economic Circle",
        &["成渝", "成渝地区"],
        "",
        30.0,
        105.0,
    ),
    ("fujian", "福建省", "Fujian", &["福建", "闽"], "", 26.1, 119.3),
    ("jiangxi", "江西省", "Jiangxi", &["江西", "赣"], "", 28.7, 115.9),
    ("hunan", "湖南省", "Hunan", &["湖南", "湘"], "", 28.2, 112.9),
    ("sichuan", "四川省", "Sichuan", &["四川", "川"], "chengdu-chongqing", 30.6, 104.1),
    ("hebei", "河北省", "Hebei", &["河北", "冀"], "jing-jin-ji", 38.0, 114.5),
    ("shanxi", "山西省", "Shanxi", &["山西", "晋"], "", 37.9, 112.6),
    ("guangxi", "广西壮族自治区", "Guangxi", &["广西", "桂"], "", 22.8, 108.3),
    ("yunnan", "云南省", "Yunnan", &["云南", "滇"], "", 25.0, 102.7),
    ("guizhou", "贵州省", "Guizhou", &["贵州", "黔"], "", 26.6, 106.7),
    ("heilongjiang", "黑龙江省", "Heilongjiang", &["黑龙江", "黑"], "", 45.8, 126.5),
    ("jilin", "吉林省", "Jilin Province", &["吉"], "", 43.8, 125.3),
    ("gansu", "甘肃省", "Gansu", &["甘肃", "甘"], "", 36.1, 103.8),
    ("inner-mongolia", "内蒙古自治区", "Inner Mongolia", &["内蒙古", "蒙"], "", 40.8, 111.7),
];

/// Cities added: id, name, English name (pinyin), parent ("" for a municipality), region, lat, lon.
const NEW_CITIES: &[(&str, &str, &str, &str, &str, f64, f64)] = &[
    ("tianjin", "天津市", "Tianjin", "", "jing-jin-ji", 39.13, 117.20),
    ("chongqing", "重庆市", "Chongqing", "", "chengdu-chongqing", 29.56, 106.55),
    ("nanjing", "南京市", "Nanjing", "jiangsu", "", 32.06, 118.80),
    ("changzhou", "常州市", "Changzhou", "jiangsu", "", 31.81, 119.97),
    ("nantong", "南通市", "Nantong", "jiangsu", "", 31.98, 120.89),
    ("yangzhou", "扬州市", "Yangzhou", "jiangsu", "", 32.39, 119.41),
    ("xuzhou", "徐州市", "Xuzhou", "jiangsu", "", 34.26, 117.18),
    ("yancheng", "盐城市", "Yancheng", "jiangsu", "", 33.35, 120.16),
    ("zhenjiang", "镇江市", "Zhenjiang", "jiangsu", "", 32.19, 119.42),
    ("taizhou-js", "泰州市", "Taizhou (Jiangsu)", "jiangsu", "", 32.46, 119.92),
    ("shaoxing", "绍兴市", "Shaoxing", "zhejiang", "", 30.00, 120.58),
    ("wenzhou", "温州市", "Wenzhou", "zhejiang", "", 27.99, 120.70),
    ("jinhua", "金华市", "Jinhua", "zhejiang", "", 29.08, 119.65),
    ("taizhou-zj", "台州市", "Taizhou (Zhejiang)", "zhejiang", "", 28.66, 121.42),
    ("quzhou", "衢州市", "Quzhou", "zhejiang", "", 28.97, 118.87),
    ("zhoushan", "舟山市", "Zhoushan", "zhejiang", "", 30.00, 122.20),
    ("hefei", "合肥市", "Hefei", "anhui", "", 31.82, 117.23),
    ("wuhu", "芜湖市", "Wuhu", "anhui", "", 31.35, 118.43),
    ("maanshan", "马鞍山市", "Ma'anshan", "anhui", "", 31.67, 118.51),
    ("chuzhou", "滁州市", "Chuzhou", "anhui", "", 32.30, 118.32),
    ("anqing", "安庆市", "Anqing", "anhui", "", 30.54, 117.06),
    ("bengbu", "蚌埠市", "Bengbu", "anhui", "", 32.92, 117.39),
    ("guangzhou", "广州市", "Guangzhou", "guangdong", "greater-bay-area", 23.13, 113.26),
    ("dongguan", "东莞市", "Dongguan", "guangdong", "greater-bay-area", 23.02, 113.75),
    ("foshan", "佛山市", "Foshan", "guangdong", "greater-bay-area", 23.02, 113.12),
    ("zhuhai", "珠海市", "Zhuhai", "guangdong", "greater-bay-area", 22.27, 113.58),
    ("huizhou", "惠州市", "Huizhou", "guangdong", "greater-bay-area", 23.11, 114.42),
    ("zhongshan", "中山市", "Zhongshan", "guangdong", "greater-bay-area", 22.52, 113.39),
    ("zhengzhou", "郑州市", "Zhengzhou", "henan", "", 34.75, 113.63),
    ("xinxiang", "新乡市", "Xinxiang", "henan", "", 35.30, 113.93),
    ("nanyang", "南阳市", "Nanyang", "henan", "", 33.00, 112.53),
    ("jinan", "济南市", "Jinan", "shandong", "", 36.65, 117.12),
    ("qingdao", "青岛市", "Qingdao", "shandong", "", 36.07, 120.38),
    ("yantai", "烟台市", "Yantai", "shandong", "", 37.46, 121.45),
    ("weifang", "潍坊市", "Weifang", "shandong", "", 36.71, 119.16),
    ("zibo", "淄博市", "Zibo", "shandong", "", 36.81, 118.05),
    ("shenyang", "沈阳市", "Shenyang", "liaoning", "", 41.81, 123.43),
    ("dalian", "大连市", "Dalian", "liaoning", "", 38.91, 121.61),
    ("anshan", "鞍山市", "Anshan", "liaoning", "", 41.11, 122.99),
    ("xiangyang", "襄阳市", "Xiangyang", "hubei", "", 32.01, 112.12),
    ("jingzhou", "荆州市", "Jingzhou", "hubei", "", 30.33, 112.24),
    ("huangshi", "黄石市", "Huangshi", "hubei", "", 30.20, 115.04),
    ("baoji", "宝鸡市", "Baoji", "shaanxi", "", 34.36, 107.24),
    ("xianyang", "咸阳市", "Xianyang", "shaanxi", "", 34.33, 108.71),
    ("urumqi", "乌鲁木齐市", "Urumqi", "xinjiang", "", 43.83, 87.62),
    ("karamay", "克拉玛依市", "Karamay", "xinjiang", "", 45.58, 84.89),
    ("fuzhou", "福州市", "Fuzhou", "fujian", "", 26.07, 119.30),
    ("xiamen", "厦门市", "Xiamen", "fujian", "", 24.48, 118.09),
    ("quanzhou", "泉州市", "Quanzhou", "fujian", "", 24.87, 118.68),
    ("zhangzhou", "漳州市", "Zhangzhou", "fujian", "", 24.51, 117.65),
    ("nanchang", "南昌市", "Nanchang", "jiangxi", "", 28.68, 115.86),
    ("ganzhou", "赣州市", "Ganzhou", "jiangxi", "", 25.83, 114.93),
    ("jiujiang", "九江市", "Jiujiang", "jiangxi", "", 29.71, 116.00),
    ("shangrao", "上饶市", "Shangrao", "jiangxi", "", 28.45, 117.94),
    ("changsha", "长沙市", "Changsha", "hunan", "", 28.23, 112.94),
    ("zhuzhou", "株洲市", "Zhuzhou", "hunan", "", 27.83, 113.13),
    ("xiangtan", "湘潭市", "Xiangtan", "hunan", "", 27.83, 112.94),
    ("yueyang", "岳阳市", "Yueyang", "hunan", "", 29.36, 113.13),
    ("chengdu", "成都市", "Chengdu", "sichuan", "", 30.57, 104.07),
    ("mianyang", "绵阳市", "Mianyang", "sichuan", "", 31.47, 104.68),
    ("yibin", "宜宾市", "Yibin", "sichuan", "", 28.77, 104.64),
    ("deyang", "德阳市", "Deyang", "sichuan", "", 31.13, 104.40),
    ("shijiazhuang", "石家庄市", "Shijiazhuang", "hebei", "", 38.04, 114.51),
    ("baoding", "保定市", "Baoding", "hebei", "", 38.87, 115.46),
    ("langfang", "廊坊市", "Langfang", "hebei", "", 39.54, 116.68),
    ("tangshan", "唐山市", "Tangshan", "hebei", "", 39.63, 118.18),
    ("taiyuan", "太原市", "Taiyuan", "shanxi", "", 37.87, 112.55),
    ("datong", "大同市", "Datong", "shanxi", "", 40.08, 113.30),
    ("changzhi", "长治市", "Changzhi", "shanxi", "", 36.20, 113.12),
    ("nanning", "南宁市", "Nanning", "guangxi", "", 22.82, 108.37),
    ("liuzhou", "柳州市", "Liuzhou", "guangxi", "", 24.33, 109.42),
    ("guilin", "桂林市", "Guilin", "guangxi", "", 25.27, 110.29),
    ("kunming", "昆明市", "Kunming", "yunnan", "", 25.04, 102.71),
    ("qujing", "曲靖市", "Qujing", "yunnan", "", 25.49, 103.80),
    ("guiyang", "贵阳市", "Guiyang", "guizhou", "", 26.65, 106.63),
    ("zunyi", "遵义市", "Zunyi", "guizhou", "", 27.73, 106.93),
    ("harbin", "哈尔滨市", "Harbin", "heilongjiang", "", 45.80, 126.53),
    ("daqing", "大庆市", "Daqing", "heilongjiang", "", 46.59, 125.10),
    ("changchun", "长春市", "Changchun", "jilin", "", 43.82, 125.32),
    ("lanzhou", "兰州市", "Lanzhou", "gansu", "", 36.06, 103.83),
    ("tianshui", "天水市", "Tianshui", "gansu", "", 34.58, 105.72),
    ("hohhot", "呼和浩特市", "Hohhot", "inner-mongolia", "", 40.84, 111.75),
    ("baotou", "包头市", "Baotou", "inner-mongolia", "", 40.66, 109.84),
];

/// Real districts and zones of the host cities: id, name, English name, level, parent, lat, lon.
const HUB_DISTRICTS: &[(&str, &str, &str, &str, &str, f64, f64)] = &[
    ("haidian", "海淀区", "Haidian District", "district", "beijing", 39.96, 116.30),
    ("chaoyang-bj", "朝阳区", "Chaoyang District", "district", "beijing", 39.92, 116.44),
    ("changping", "昌平区", "Changping District", "district", "beijing", 40.22, 116.23),
    ("daxing", "大兴区", "Daxing District", "district", "beijing", 39.73, 116.34),
    ("fengtai", "丰台区", "Fengtai District", "district", "beijing", 39.86, 116.29),
    ("zhongguancun", "中关村科学城", "Zhongguancun Science City", "zone", "haidian", 39.98, 116.31),
    (
        "beijing-etdz",
        "北京经济技术开发区",
        "Beijing Economic-Technological Development Area",
        "zone",
        "daxing",
        39.79,
        116.51,
    ),
    ("xuhui", "徐汇区", "Xuhui District", "district", "shanghai", 31.19, 121.44),
    ("yangpu", "杨浦区", "Yangpu District", "district", "shanghai", 31.26, 121.53),
    ("jiading", "嘉定区", "Jiading District", "district", "shanghai", 31.38, 121.27),
    ("jingan", "静安区", "Jing'an District", "district", "shanghai", 31.23, 121.45),
    ("changning", "长宁区", "Changning District", "district", "shanghai", 31.22, 121.42),
    ("futian", "福田区", "Futian District", "district", "shenzhen", 22.54, 114.05),
    ("longgang", "龙岗区", "Longgang District", "district", "shenzhen", 22.72, 114.25),
    ("guangming", "光明区", "Guangming District", "district", "shenzhen", 22.75, 113.94),
    ("binjiang", "滨江区", "Binjiang District", "district", "hangzhou", 30.21, 120.21),
    ("yuhang", "余杭区", "Yuhang District", "district", "hangzhou", 30.42, 120.30),
    ("xihu", "西湖区", "Xihu District", "district", "hangzhou", 30.26, 120.13),
    ("xiaoshan", "萧山区", "Xiaoshan District", "district", "hangzhou", 30.18, 120.26),
    ("future-sci-tech-city", "杭州未来科技城", "Hangzhou Future Sci-Tech City", "zone", "yuhang", 30.29, 120.00),
    ("tianhe", "天河区", "Tianhe District", "district", "guangzhou", 23.12, 113.36),
    ("huangpu-gz", "黄埔区", "Huangpu District (Guangzhou)", "district", "guangzhou", 23.10, 113.46),
    ("jiangning", "江宁区", "Jiangning District", "district", "nanjing", 31.95, 118.84),
    ("jianye", "建邺区", "Jianye District", "district", "nanjing", 32.00, 118.73),
    ("hongshan", "洪山区", "Hongshan District", "district", "wuhan", 30.50, 114.34),
    ("optics-valley", "东湖新技术开发区", "East Lake High-tech Zone", "zone", "wuhan", 30.48, 114.41),
    ("wuhou", "武侯区", "Wuhou District", "district", "chengdu", 30.64, 104.04),
    ("chengdu-hi-tech-zone", "成都高新区", "Chengdu Hi-tech Zone", "zone", "chengdu", 30.58, 104.06),
    ("yanta", "雁塔区", "Yanta District", "district", "xian", 34.22, 108.95),
    ("shushan", "蜀山区", "Shushan District", "district", "hefei", 31.85, 117.26),
    ("suzhou-industrial-park", "苏州工业园区", "Suzhou Industrial Park", "zone", "suzhou", 31.32, 120.72),
    ("binhai-new-area", "滨海新区", "Binhai New Area", "district", "tianjin", 39.03, 117.71),
    ("yubei", "渝北区", "Yubei District", "district", "chongqing", 29.72, 106.63),
];

/// Host cities and how often an enclave sits in each (in percent).
const HUBS: &[(&str, u32)] = &[
    ("shanghai", 34),
    ("shenzhen", 24),
    ("beijing", 14),
    ("hangzhou", 10),
    ("guangzhou", 4),
    ("nanjing", 3),
    ("suzhou", 2),
    ("wuhan", 2),
    ("chengdu", 2),
    ("hefei", 2),
    ("xian", 1),
    ("tianjin", 1),
    ("chongqing", 1),
];

/// Syllables for generated district names: character and pinyin.
const SYLLABLES: &[(&str, &str)] = &[
    ("东", "dong"),
    ("西", "xi"),
    ("南", "nan"),
    ("北", "bei"),
    ("新", "xin"),
    ("湖", "hu"),
    ("山", "shan"),
    ("江", "jiang"),
    ("城", "cheng"),
    ("安", "an"),
    ("平", "ping"),
    ("龙", "long"),
    ("华", "hua"),
    ("阳", "yang"),
    ("兴", "xing"),
    ("宁", "ning"),
    ("丰", "feng"),
    ("泰", "tai"),
    ("海", "hai"),
    ("云", "yun"),
    ("清", "qing"),
    ("明", "ming"),
    ("光", "guang"),
    ("金", "jin"),
    ("玉", "yu"),
    ("福", "fu"),
    ("盛", "sheng"),
    ("桥", "qiao"),
    ("港", "gang"),
    ("源", "yuan"),
    ("溪", "xi"),
    ("林", "lin"),
    ("川", "chuan"),
    ("昌", "chang"),
    ("惠", "hui"),
    ("嘉", "jia"),
    ("永", "yong"),
    ("德", "de"),
    ("湾", "wan"),
    ("亭", "ting"),
];

/// Sectors added to the real 16: id, name, English name, aliases.
const NEW_SECTORS: &[(&str, &str, &str, &[&str])] = &[
    ("artificial-intelligence", "人工智能", "Artificial intelligence", &["AI", "人工智能产业"]),
    ("integrated-circuits", "集成电路", "Integrated circuits", &["芯片", "半导体"]),
    ("digital-economy", "数字经济", "Digital economy", &["数字产业"]),
    ("new-energy-vehicles", "新能源汽车", "New energy vehicles", &["NEV", "电动汽车"]),
    ("medical-devices", "高端医疗器械", "High-end medical devices", &["医疗器械"]),
    ("industrial-internet", "工业互联网", "Industrial internet", &["工业互联网平台"]),
    ("blockchain", "区块链", "Blockchain", &["区块链技术"]),
    ("big-data", "大数据", "Big data", &["大数据产业"]),
    ("cloud-computing", "云计算", "Cloud computing", &["云服务"]),
    ("internet-of-things", "物联网", "Internet of Things", &["IoT"]),
    ("robotics", "机器人", "Robotics", &["智能机器人"]),
    ("aerospace", "航空航天", "Aerospace", &["航天"]),
    ("marine-economy", "海洋经济", "Marine economy", &["海洋产业"]),
    ("modern-agriculture", "现代农业", "Modern agriculture", &["智慧农业"]),
    ("cultural-creative", "文化创意", "Cultural and creative industries", &["文创"]),
    ("testing-certification", "检验检测", "Testing and certification", &["检测认证"]),
    ("connected-vehicles", "智能网联汽车", "Intelligent connected vehicles", &["车联网"]),
    ("photonics", "光电子", "Photonics", &["光电", "光电子信息"]),
    ("hydrogen-energy", "氢能", "Hydrogen energy", &["氢能源"]),
    ("energy-storage", "新型储能", "New energy storage", &["储能"]),
    ("software", "软件和信息服务", "Software and information services", &["软件", "软件服务"]),
    ("fintech", "金融科技", "Fintech", &["科技金融", "数字金融"]),
    ("green-chemicals", "绿色化工", "Green chemicals", &["化工新材料"]),
    ("modern-textiles", "现代纺织", "Modern textiles", &["纺织"]),
];

/// Operator brand words: characters and pinyin.
const BRANDS: &[(&str, &str)] = &[
    ("启航", "Qihang"),
    ("智汇", "Zhihui"),
    ("创客", "Chuangke"),
    ("星河", "Xinghe"),
    ("领航", "Linghang"),
    ("汇智", "Huizhi"),
    ("聚能", "Juneng"),
    ("华创", "Huachuang"),
    ("众创", "Zhongchuang"),
    ("科睿", "Kerui"),
    ("博远", "Boyuan"),
    ("云启", "Yunqi"),
    ("中科", "Zhongke"),
    ("鼎盛", "Dingsheng"),
    ("新锐", "Xinrui"),
    ("腾飞", "Tengfei"),
    ("翼展", "Yizhan"),
    ("同创", "Tongchuang"),
    ("海纳", "Haina"),
    ("卓越", "Zhuoyue"),
    ("金桥", "Jinqiao"),
    ("长风", "Changfeng"),
];

/// Operator name patterns per kind: kind id, Chinese suffix, English suffix.
const OPERATOR_PATTERNS: &[(&str, &str, &str)] = &[
    ("innovation_service", "科创服务有限公司", "Innovation Services Co."),
    ("innovation_service", "孵化器管理有限公司", "Incubator Management Co."),
    ("industrial_real_estate", "产业园发展有限公司", "Industrial Park Development Co."),
    ("government_platform", "科创投资集团", "Sci-Tech Investment Group"),
    ("tech_transfer", "技术转移中心", "Technology Transfer Center"),
    ("association", "科技企业协会", "Technology Enterprise Association"),
    ("research_institution", "产业技术研究院", "Industrial Technology Research Institute"),
    ("other", "创新发展有限公司", "Innovation Development Co."),
];

/// Kinds of enclave: the text editors write, a slug word and an English word.
const KINDS: &[(&str, &str, &str)] = &[
    ("离岸孵化器", "offshore-incubator", "Offshore Incubator"),
    ("离岸创新中心", "offshore-innovation-center", "Offshore Innovation Center"),
    ("科创飞地", "sci-tech-enclave", "Sci-Tech Enclave"),
    ("孵化基地", "incubation-base", "Incubation Base"),
    ("飞地孵化创新工作站", "workstation", "Enclave Incubation Workstation"),
    ("创新中心", "innovation-center", "Innovation Center"),
    ("人才飞地", "talent-enclave", "Talent Enclave"),
    ("研发中心", "rd-center", "R&D Center"),
];

const ROLES: &[&str] = &["运营方", "合作运营方", "飞出地平台公司", "共建单位", "招商服务方", "孵化服务方"];

const SOURCE_TITLES: &[&str] = &[
    "打造离岸创新中心：十八线小城用科创飞地实现招商逆袭",
    "科创飞地：县域经济借力一线城市的新路径",
    "飞地经济调查：研发在外地，转化在本地",
    "离岸孵化器为何扎堆上海、深圳",
    "区县年度政府工作报告",
    "开发区管委会关于飞地建设的新闻发布会",
    "科创飞地运营情况调研报告",
];

/// Filler sentences for descriptions; `{home}`, `{host}`, `{sector}` are filled in.
const FILLERS: &[&str] = &[
    "入驻企业在{host}完成研发和孵化后，达到约定条件即回到{home}落地产业化，享受当地在税收、用地和人才方面的支持政策。",
    "飞地实行“研发在{host}、生产在{home}”的分工，把一线城市的人才和资本优势与家乡的土地、产业链配套结合起来。",
    "对在飞地注册的团队，{home}提供最长三年的免租期，并对引进的高层次人才给予安家补贴和子女入学便利。",
    "中心定期举办项目路演、投资对接会和产业沙龙，邀请{host}的投资机构、高校院所和龙头企业参加。",
    "运营团队建立了项目库，按“初创、成长、落地”三个阶段跟踪每个项目，并定期向{home}的招商部门通报进展。",
    "与传统的招商引资相比，科创飞地更看重项目的技术含量和成长性，而不是一次性的投资额。",
    "来源提到，飞地的考核指标包括引进项目数、回流落地率和带动的研发投入，但没有公布具体的考核结果。",
    "{home}还在飞地设立了人才工作站，为在{host}工作、有意回乡发展的专业人才提供信息和服务。",
    "一些入驻团队把研发部门留在{host}，把中试线和生产基地放在{home}，形成了跨城市的“前店后厂”模式。",
    "飞地与{host}的几所高校签订了合作协议，共建实习基地和联合实验室，推动{sector}方向的成果转化。",
    "为降低运营成本，飞地采用“政府引导、市场运作”的方式，通过服务收费和投资收益逐步实现收支平衡。",
    "这类飞地的难点在于项目回流：一些企业在{host}发展顺利后，并不愿意把生产环节迁回{home}。",
    "{home}的财政每年安排专项资金，用于飞地的房租、运营补贴和对落地项目的奖励。",
    "在{sector}领域，飞地已经对接了一批掌握核心技术的初创团队，其中部分项目进入了中试阶段。",
    "飞地所在的楼宇交通便利，周边聚集了大量科技企业和投资机构，便于入驻团队开展交流与合作。",
    "运营方还为入驻企业提供财务代账、知识产权申请、法律咨询和市场推广等专业服务。",
];

/// Phrases describing a sector item in a description's list.
const SECTOR_PHRASES: &[&str] = &[
    "引进掌握核心技术的研发团队，支持概念验证和中试熟化",
    "对接{home}的龙头企业，围绕产业链补链强链开展招商",
    "与{host}的高校院所合作，推动科研成果在{home}转化",
    "为初创企业提供场地、资金和市场渠道等方面的支持",
    "引导社会资本设立专项基金，投向早期项目",
    "建设共享实验室和检测平台，降低企业研发成本",
];

// ---------------------------------------------------------------------------------------------
// The model the generator builds before writing.

#[derive(Clone, Debug)]
struct Place {
    id: String,
    name: String,
    name_en: Option<String>,
    aliases: Vec<String>,
    level: String,
    parent: Option<usize>,
    regions: Vec<usize>,
    has_coords: bool,
    /// Short Chinese name used in generated names (`无锡`, `惠山`).
    short: String,
    /// English name without "District", "County" ...
    short_en: String,
    /// Written by this generator (the real ones are copied as they are).
    generated: Option<String>,
}

#[derive(Clone, Debug)]
struct Term {
    id: String,
    name: String,
    name_en: Option<String>,
    aliases: Vec<String>,
}

impl Term {
    fn keys(&self) -> Vec<&str> {
        let mut k = vec![self.id.as_str(), self.name.as_str()];
        k.extend(self.name_en.as_deref());
        k.extend(self.aliases.iter().map(String::as_str));
        k
    }
}

struct Operator {
    term: Term,
    kind: usize,
    hq: Option<usize>,
    /// The file's text; generated operators only (real ones are copied).
    text: Option<String>,
}

struct Enclave {
    slug: String,
    name: String,
    name_en: Option<String>,
    home: usize,
    host: usize,
    model: Option<usize>,
    sectors: Option<Vec<usize>>,
    operators: Vec<(usize, String)>,
    kind: Option<usize>,
    fields: Vec<(&'static str, String)>,
    /// Front matter lines after the references (numbers, dates, sources), for feidi and Hugo alike.
    body: String,
    link: Option<(usize, String)>,
}

/// Every key a reference may use, lower-cased, mapped to the targets that answer to it.
#[derive(Default)]
struct Keys(HashMap<String, BTreeSet<String>>);

impl Keys {
    fn taken(&self, key: &str) -> bool {
        self.0.contains_key(&key.trim().to_lowercase())
    }
    fn add(&mut self, id: &str, keys: &[&str]) {
        for k in keys {
            self.0.entry(k.trim().to_lowercase()).or_default().insert(id.to_string());
        }
    }
    fn unique(&self, key: &str) -> bool {
        self.0.get(&key.trim().to_lowercase()).is_some_and(|s| s.len() == 1)
    }
}

/// One way an editor might write a reference to `t`: its id, name, English name (sometimes in
/// another case) or an alias. Only forms that name `t` alone are used.
fn reference(rng: &mut Rng, t: &Term, keys: &Keys) -> String {
    let mut forms: Vec<String> = Vec::new();
    match rng.below(10) {
        0..=3 => forms.push(t.id.clone()),
        4..=6 => forms.push(t.name.clone()),
        7 => {
            if let Some(en) = &t.name_en {
                forms.push(if rng.chance(0.3) { en.to_lowercase() } else { en.clone() });
            }
        }
        _ => {
            if !t.aliases.is_empty() {
                forms.push(rng.pick(&t.aliases).clone());
            }
        }
    }
    forms.retain(|f| keys.unique(f));
    forms.pop().unwrap_or_else(|| t.id.clone())
}

/// A YAML scalar: plain when that is safe, double-quoted (JSON syntax) otherwise.
fn y(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || c.is_whitespace() || "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains(['[', ']', '{', '}', ',', '"', '\''])
        && !["true", "false", "yes", "no", "null", "on", "off", "~"].contains(&s.to_lowercase().as_str());
    if plain { s.to_string() } else { serde_json::to_string(s).unwrap() }
}

fn flow_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| y(s)).collect::<Vec<_>>().join(", "))
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn strip_suffix(name: &str) -> String {
    for suffix in ["新区", "市", "区", "县", "省"] {
        if let Some(s) = name.strip_suffix(suffix)
            && s.chars().count() >= 2
        {
            return s.to_string();
        }
    }
    name.to_string()
}

fn strip_en(en: &str) -> String {
    for suffix in [" District", " County", " New Area"] {
        if let Some(s) = en.strip_suffix(suffix) {
            return s.to_string();
        }
    }
    en.to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn cn_ordinal(k: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match k {
        1..=9 => D[k].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[k - 10]),
        _ => k.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Places.

fn load_places(real_yaml: &str) -> (Vec<Place>, Keys) {
    let items: Vec<Value> = serde_yaml::from_str(real_yaml).expect("the real places.yaml parses");
    let mut places: Vec<Place> = Vec::new();
    let mut keys = Keys::default();
    let mut pending: Vec<(Option<String>, Vec<String>)> = Vec::new();
    for v in &items {
        let id = str_field(v, "id").unwrap();
        let name = str_field(v, "name").unwrap();
        let name_en = str_field(v, "name_en");
        let aliases: Vec<String> = v
            .get("aliases")
            .and_then(Value::as_sequence)
            .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let short = aliases
            .iter()
            .find(|a| name.starts_with(a.as_str()) && a.chars().count() >= 2)
            .cloned()
            .unwrap_or_else(|| strip_suffix(&name));
        let short_en = strip_en(name_en.as_deref().unwrap_or(&id));
        let mut k: Vec<&str> = vec![&id, &name];
        k.extend(name_en.as_deref());
        k.extend(aliases.iter().map(String::as_str));
        keys.add(&id, &k);
        pending.push((
            str_field(v, "parent"),
            v.get("regions")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
        ));
        places.push(Place {
            level: str_field(v, "level").unwrap(),
            has_coords: v.get("lat").is_some(),
            id,
            name,
            name_en,
            aliases,
            parent: None,
            regions: Vec::new(),
            short,
            short_en,
            generated: None,
        });
    }
    // The real file's parents and regions are ids.
    let index: HashMap<String, usize> = places.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
    for (i, (parent, regions)) in pending.into_iter().enumerate() {
        places[i].parent = parent.map(|p| index[&p]);
        places[i].regions = regions.iter().map(|r| index[r]).collect();
    }
    (places, keys)
}

#[allow(clippy::too_many_arguments)]
fn add_place(
    places: &mut Vec<Place>,
    keys: &mut Keys,
    id: &str,
    name: &str,
    name_en: &str,
    aliases: Vec<String>,
    level: &str,
    parent: Option<&str>,
    region: Option<&str>,
    coords: Option<(f64, f64)>,
) -> usize {
    let find = |places: &[Place], id: &str| places.iter().position(|p| p.id == id).unwrap_or_else(|| panic!("{id}"));
    let mut all: Vec<&str> = vec![id, name, name_en];
    all.extend(aliases.iter().map(String::as_str));
    for k in &all {
        assert!(!keys.taken(k), "place key `{k}` of `{id}` is already taken");
    }
    keys.add(id, &all);
    let parent = parent.map(|p| find(places, p));
    let regions: Vec<usize> = region.map(|r| find(places, r)).into_iter().collect();
    let mut text = format!("- id: {id}\n  name: {}\n  name_en: {}\n", y(name), y(name_en));
    if !aliases.is_empty() {
        let _ = writeln!(text, "  aliases: {}", flow_list(&aliases));
    }
    let _ = writeln!(text, "  level: {level}");
    if let Some(p) = parent {
        let _ = writeln!(text, "  parent: {}", places[p].id);
    }
    if !regions.is_empty() {
        let _ = writeln!(text, "  regions: [{}]", places[regions[0]].id);
    }
    if let Some((lat, lon)) = coords {
        let _ = writeln!(text, "  lat: {lat:.4}\n  lon: {lon:.4}");
    }
    places.push(Place {
        id: id.into(),
        name: name.into(),
        name_en: Some(name_en.into()),
        short: if level == "zone" { name.to_string() } else { strip_suffix(name) },
        short_en: strip_en(name_en),
        aliases,
        level: level.into(),
        parent,
        regions,
        has_coords: coords.is_some(),
        generated: Some(text),
    });
    places.len() - 1
}

fn generate_places(real_yaml: &str, rng: &mut Rng) -> (Vec<Place>, Keys, HashMap<String, (f64, f64)>) {
    let (mut places, mut keys) = load_places(real_yaml);
    // Coordinates of the real places, for jittering generated districts around their city.
    let items: Vec<Value> = serde_yaml::from_str(real_yaml).unwrap();
    let mut coords: HashMap<String, (f64, f64)> = items
        .iter()
        .filter_map(|v| Some((str_field(v, "id")?, (v.get("lat")?.as_f64()?, v.get("lon")?.as_f64()?))))
        .collect();
    for &(id, name, en, aliases, region, lat, lon) in NEW_PROVINCES {
        let level = if id == "chengdu-chongqing" { "region" } else { "province" };
        let aliases = aliases.iter().map(|s| s.to_string()).collect();
        add_place(
            &mut places,
            &mut keys,
            id,
            name,
            en,
            aliases,
            level,
            None,
            (!region.is_empty()).then_some(region),
            Some((lat, lon)),
        );
        coords.insert(id.into(), (lat, lon));
    }
    for &(id, name, en, parent, region, lat, lon) in NEW_CITIES {
        let short = strip_suffix(name);
        let aliases = vec![short];
        let parent = (!parent.is_empty()).then_some(parent);
        add_place(
            &mut places,
            &mut keys,
            id,
            name,
            en,
            aliases,
            "city",
            parent,
            (!region.is_empty()).then_some(region),
            Some((lat, lon)),
        );
        coords.insert(id.into(), (lat, lon));
    }
    for &(id, name, en, level, parent, lat, lon) in HUB_DISTRICTS {
        let p = places.iter().find(|p| p.id == parent).unwrap().clone();
        let mut aliases = Vec::new();
        if level == "district" {
            aliases.push(strip_suffix(name));
            aliases.push(format!("{}{}", p.name, name));
        }
        add_place(&mut places, &mut keys, id, name, en, aliases, level, Some(parent), None, Some((lat, lon)));
        coords.insert(id.into(), (lat, lon));
    }
    // Generated districts and counties for the non-hub cities, and a development zone for some.
    let cities: Vec<usize> = (0..places.len())
        .filter(|&i| places[i].level == "city" && !HUBS.iter().any(|h| h.0 == places[i].id))
        .filter(|&i| coords.contains_key(&places[i].id))
        .collect();
    for &c in &cities {
        let city = places[c].clone();
        let (clat, clon) = coords[&city.id];
        let count = 1 + usize::from(rng.chance(0.12));
        for _ in 0..count {
            for _attempt in 0..50 {
                let (a, pa) = *rng.pick(SYLLABLES);
                let (b, pb) = *rng.pick(SYLLABLES);
                if a == b {
                    continue;
                }
                let county = rng.chance(0.25);
                let (suffix, suffix_en, level) =
                    if county { ("县", "County", "county") } else { ("区", "District", "district") };
                let name = format!("{a}{b}{suffix}");
                let joint = if pb.starts_with(['a', 'e', 'o']) { "'" } else { "" };
                let py = format!("{}{joint}{pb}", capitalise(pa));
                let name_en = format!("{py} {suffix_en}");
                let short = format!("{a}{b}");
                let full = format!("{}{name}", city.name);
                let id = format!("{}-{}", city.id, py.to_lowercase().replace('\'', ""));
                if [&id, &name, &name_en, &short, &full].iter().any(|k| keys.taken(k)) {
                    continue;
                }
                let coords = rng.chance(0.9).then(|| {
                    (clat + (rng.below(60) as f64 - 30.0) / 100.0, clon + (rng.below(60) as f64 - 30.0) / 100.0)
                });
                add_place(
                    &mut places,
                    &mut keys,
                    &id,
                    &name,
                    &name_en,
                    vec![short, full],
                    level,
                    Some(&city.id),
                    None,
                    coords,
                );
                break;
            }
        }
        if rng.chance(0.2) {
            let (zh, en, slug) = if rng.chance(0.5) {
                ("高新区", "Hi-tech Zone", "hi-tech-zone")
            } else {
                ("经开区", "Economic and Technological Development Zone", "etdz")
            };
            let name = format!("{}{zh}", city.short);
            let long =
                format!("{}{}", city.short, if slug == "etdz" { "经济技术开发区" } else { "高新技术产业开发区" });
            let id = format!("{}-{slug}", city.id);
            if ![&id, &name, &long].iter().any(|k| keys.taken(k)) {
                let name_en = format!("{} {en}", city.short_en);
                let coords = Some((clat + 0.05, clon + 0.07));
                add_place(
                    &mut places,
                    &mut keys,
                    &id,
                    &name,
                    &name_en,
                    vec![long],
                    "zone",
                    Some(&city.id),
                    None,
                    coords,
                );
            }
        }
    }
    (places, keys, coords)
}

/// The place and every place it rolls up to: its ancestors and the regions of all of them.
fn rollup(places: &[Place], i: usize) -> Vec<usize> {
    let mut chain = vec![i];
    let mut cur = i;
    while let Some(p) = places[cur].parent {
        chain.push(p);
        cur = p;
    }
    let mut out = chain.clone();
    for c in chain {
        for &r in &places[c].regions {
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// The city a place belongs to (itself for a city).
fn city_of(places: &[Place], i: usize) -> usize {
    let mut cur = i;
    loop {
        if places[cur].level == "city" {
            return cur;
        }
        match places[cur].parent {
            Some(p) => cur = p,
            None => return i,
        }
    }
}

fn place_term(p: &Place) -> Term {
    Term { id: p.id.clone(), name: p.name.clone(), name_en: p.name_en.clone(), aliases: p.aliases.clone() }
}

fn read_terms(yaml: &str) -> Vec<Term> {
    let items: Vec<Value> = serde_yaml::from_str(yaml).expect("a vocabulary file parses");
    items
        .iter()
        .map(|v| Term {
            id: str_field(v, "id").unwrap(),
            name: str_field(v, "name").unwrap(),
            name_en: str_field(v, "name_en"),
            aliases: v
                .get("aliases")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
        })
        .collect()
}

fn term_keys(terms: &[Term]) -> Keys {
    let mut keys = Keys::default();
    for t in terms {
        keys.add(&t.id, &t.keys());
    }
    keys
}

// ---------------------------------------------------------------------------------------------
// Output folders.

/// Makes `dir` ready for writing, or exits: it must be missing, empty, or marked as written by
/// this generator. In a marked folder only `owned` entries are removed.
fn prepare(dir: &Path, owned: &[&str]) {
    match fs::symlink_metadata(dir) {
        Err(_) => {}
        Ok(m) if !m.is_dir() => fail(&format!("{} exists and is not a folder", dir.display())),
        Ok(_) => {
            let mut entries = fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display()))).peekable();
            if entries.peek().is_some() {
                let marker = fs::symlink_metadata(dir.join(MARKER));
                if !marker.is_ok_and(|m| m.is_file()) {
                    fail(&format!(
                        "{} is not empty and was not written by this generator (no {MARKER} in it); choose a new or empty folder",
                        dir.display()
                    ));
                }
                for name in owned {
                    let p = dir.join(name);
                    match fs::symlink_metadata(&p) {
                        Ok(m) if m.is_dir() => fs::remove_dir_all(&p).unwrap(),
                        Ok(_) => fs::remove_file(&p).unwrap(),
                        Err(_) => {}
                    }
                }
            }
        }
    }
    fs::create_dir_all(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    fs::write(dir.join(MARKER), "Written by feidi's examples/synth.rs; it may replace content/ here.\n").unwrap();
}

fn fail(msg: &str) -> ! {
    eprintln!("synth: {msg}");
    std::process::exit(2)
}

/// A front-matter line with `enclaves` taken out of a top-level `not_reported` (`[a, b]` or a
/// single item); `None` when nothing is left of it.
fn without_enclaves_gap(line: &str) -> Option<String> {
    let Some(value) = line.strip_prefix("not_reported:") else { return Some(line.to_string()) };
    let items: Vec<&str> = value
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty() && *i != "enclaves")
        .collect();
    (!items.is_empty()).then(|| format!("not_reported: [{}]", items.join(", ")))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------

struct Args {
    out: PathBuf,
    n: usize,
    seed: u64,
    hugo: Option<PathBuf>,
}

fn parse_args() -> Args {
    let usage = "usage: synth OUT_DIR N [--seed S] [--hugo HUGO_DIR]";
    let mut positional = Vec::new();
    let mut seed = 42;
    let mut hugo = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| fail(usage)),
            "--hugo" => hugo = Some(PathBuf::from(it.next().unwrap_or_else(|| fail(usage)))),
            "-h" | "--help" => {
                println!("{usage}");
                std::process::exit(0)
            }
            s if s.starts_with("--") => fail(usage),
            _ => positional.push(a),
        }
    }
    let out = PathBuf::from(positional.first().map(String::as_str).unwrap_or("target/synth"));
    let n = positional.get(1).map(|s| s.parse().unwrap_or_else(|_| fail(usage))).unwrap_or(10_000);
    if hugo.as_deref() == Some(out.as_path()) {
        fail("OUT_DIR and HUGO_DIR must be different folders");
    }
    Args { out, n, seed, hugo }
}

fn main() {
    let args = parse_args();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = repo.join("content");
    let mut rng = Rng(args.seed);

    // Vocabularies.
    let places_yaml = fs::read_to_string(real.join("terms/places.yaml")).unwrap();
    let (places, place_keys, _) = generate_places(&places_yaml, &mut rng);
    let place_terms: Vec<Term> = places.iter().map(place_term).collect();
    let sectors_yaml = fs::read_to_string(real.join("terms/sectors.yaml")).unwrap();
    let mut sectors = read_terms(&sectors_yaml);
    let mut sector_keys = term_keys(&sectors);
    let mut sectors_text = sectors_yaml.trim_end().to_string();
    sectors_text.push('\n');
    for &(id, name, en, aliases) in NEW_SECTORS.iter().take(40usize.saturating_sub(sectors.len())) {
        let t = Term {
            id: id.into(),
            name: name.into(),
            name_en: Some(en.into()),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        };
        for k in t.keys() {
            assert!(!sector_keys.taken(k), "sector key `{k}` is already taken");
        }
        sector_keys.add(id, &t.keys());
        let _ = write!(
            sectors_text,
            "- id: {id}\n  name: {}\n  name_en: {}\n  aliases: {}\n",
            y(name),
            y(en),
            flow_list(&t.aliases)
        );
        sectors.push(t);
    }
    let models_yaml = fs::read_to_string(real.join("terms/models.yaml")).unwrap();
    let models = read_terms(&models_yaml);
    let model_keys = term_keys(&models);
    let kinds_yaml = fs::read_to_string(real.join("terms/operator-kinds.yaml")).unwrap();
    let kinds = read_terms(&kinds_yaml);
    let kind_keys = term_keys(&kinds);

    let by_id: HashMap<&str, usize> = places.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    // Where enclaves sit: each hub city and everything inside it.
    let hub_places: Vec<Vec<usize>> = HUBS
        .iter()
        .map(|(id, _)| {
            let c = by_id[id];
            (0..places.len()).filter(|&i| i != c && rollup(&places, i).contains(&c)).collect()
        })
        .collect();
    let hub_weights: Vec<u32> = HUBS.iter().map(|h| h.1).collect();
    // Where they come from: cities, counties, districts and zones outside the hub cities, the
    // Yangtze River Delta weighted up as in the real directory.
    let yrd = by_id["yangtze-river-delta"];
    let homes: Vec<usize> = (0..places.len())
        .filter(|&i| ["city", "county", "district", "zone"].contains(&places[i].level.as_str()))
        .filter(|&i| !HUBS.iter().any(|h| by_id[h.0] == city_of(&places, i)))
        .filter(|&i| city_of(&places, i) != i || places[i].level == "city")
        .collect();
    let home_weights: Vec<u32> = homes
        .iter()
        .map(|&i| {
            let w = if rollup(&places, i).contains(&yrd) { 4 } else { 1 };
            if places[i].level == "city" { w * 2 } else { w }
        })
        .collect();

    // Operators: the real ones, then generated ones up to N/20.
    let mut operators: Vec<Operator> = Vec::new();
    let mut op_keys = Keys::default();
    let mut real_ops: Vec<PathBuf> = fs::read_dir(real.join("operators")).unwrap().map(|e| e.unwrap().path()).collect();
    real_ops.sort();
    for p in &real_ops {
        let text = fs::read_to_string(p).unwrap();
        let fm = text.split("---\n").nth(1).unwrap();
        let v: Value = serde_yaml::from_str(fm).unwrap();
        let t = Term {
            id: p.file_stem().unwrap().to_string_lossy().into_owned(),
            name: str_field(&v, "name").unwrap(),
            name_en: str_field(&v, "name_en"),
            aliases: v
                .get("aliases")
                .and_then(Value::as_sequence)
                .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default(),
        };
        op_keys.add(&t.id, &t.keys());
        let kind = str_field(&v, "kind").and_then(|k| kinds.iter().position(|t| t.id == k)).unwrap_or(0);
        let hq = str_field(&v, "hq").and_then(|h| by_id.get(h.as_str()).copied());
        operators.push(Operator { term: t, kind, hq, text: None });
    }
    let op_cities: Vec<usize> = (0..places.len()).filter(|&i| places[i].level == "city").collect();
    let wanted_ops = (args.n / 20).max(operators.len());
    let mut attempts = 0;
    while operators.len() < wanted_ops && attempts < 1_000_000 {
        attempts += 1;
        let city = &places[*rng.pick(&op_cities)];
        let (brand, brand_en) = *rng.pick(BRANDS);
        let &(kind_id, suffix, suffix_en) = rng.pick(OPERATOR_PATTERNS);
        let name = format!("{}{brand}{suffix}", city.short);
        let name_en = format!("{} {brand_en} {suffix_en}", city.short_en);
        let slug = format!(
            "{}-{}-{}",
            city.id,
            brand_en.to_lowercase(),
            suffix_en.to_lowercase().replace(['.', '&'], "").split_whitespace().collect::<Vec<_>>().join("-")
        );
        let alias = format!("{}{brand}", city.short);
        if [&slug, &name, &name_en].iter().any(|k| op_keys.taken(k)) {
            continue;
        }
        let aliases = if !op_keys.taken(&alias) && rng.chance(0.5) { vec![alias] } else { Vec::new() };
        let term = Term { id: slug.clone(), name: name.clone(), name_en: Some(name_en.clone()), aliases };
        op_keys.add(&slug, &term.keys());
        let kind = kinds.iter().position(|k| k.id == kind_id).unwrap();
        let hq = rng.chance(0.85).then(|| by_id[city.id.as_str()]);
        let mut text = format!("---\nname: {}\nname_en: {}\n", y(&name), y(&name_en));
        if !term.aliases.is_empty() {
            let _ = writeln!(text, "aliases: {}", flow_list(&term.aliases));
        }
        let _ = writeln!(text, "kind: {}", y(&reference(&mut rng, &kinds[kind], &kind_keys)));
        if let Some(h) = hq {
            let _ = writeln!(text, "hq: {}", y(&reference(&mut rng, &place_terms[h], &place_keys)));
        }
        if rng.chance(0.4) {
            let _ = writeln!(text, "website: https://www.{slug}.example.cn/");
        }
        let _ = write!(
            text,
            "sources:\n  - title: {}\n---\n{name}是总部位于{}的{}，为多地政府在{}等城市设立的科创飞地提供招商、孵化和运营服务。它的团队熟悉当地的创新资源，能够帮助飞出地对接项目、人才和资本。\n",
            y(rng.pick::<&str>(SOURCE_TITLES)),
            city.name,
            kinds[kind].name,
            places[by_id[HUBS[rng.weighted(&hub_weights)].0]].short,
        );
        operators.push(Operator { term, kind, hq, text: Some(text) });
    }
    let op_terms: Vec<Term> = operators.iter().map(|o| o.term.clone()).collect();

    // Enclaves: choose everything first, so that a description can link to any other entry.
    let mut enclaves: Vec<Enclave> = Vec::with_capacity(args.n);
    let mut slugs: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for _ in 0..args.n {
        let home = homes[rng.weighted(&home_weights)];
        let hub = rng.weighted(&hub_weights);
        let hub_city = by_id[HUBS[hub].0];
        let host = if hub_places[hub].is_empty() || rng.chance(0.2) { hub_city } else { *rng.pick(&hub_places[hub]) };
        let kind = rng.chance(0.9).then(|| rng.below(KINDS.len()));
        let (kind_zh, kind_slug, kind_en) = KINDS[kind.unwrap_or(0)];
        let home_city = city_of(&places, home);
        let (home_zh, home_en, home_slug) = if home_city == home {
            (places[home].short.clone(), places[home].short_en.clone(), places[home].id.clone())
        } else if places[home].level == "zone" {
            (places[home].name.clone(), places[home].short_en.clone(), places[home].id.clone())
        } else {
            (
                format!("{}{}", places[home_city].short, places[home].short),
                format!("{} {}", places[home_city].short_en, places[home].short_en),
                places[home].id.clone(),
            )
        };
        let host_short = &places[hub_city].short;
        let base = format!("{home_zh}（{host_short}）{kind_zh}");
        let seen = names.entry(base.clone()).or_insert(0);
        *seen += 1;
        let name = if *seen == 1 { base } else { format!("{base}{}号", cn_ordinal(*seen)) };
        let base_slug = format!("{home_slug}-{}-{kind_slug}", places[hub_city].id);
        let k = slugs.entry(base_slug.clone()).or_insert(0);
        *k += 1;
        let slug = if *k == 1 { base_slug } else { format!("{base_slug}-{k}") };
        let name_en = rng.chance(0.7).then(|| {
            let n = format!("{home_en} ({}) {kind_en}", places[hub_city].short_en);
            if *seen > 1 { format!("{n} No. {seen}") } else { n }
        });
        let model = rng.chance(0.75).then(|| rng.weighted(&[3, 5, 2]).min(models.len() - 1));
        let sectors_of = rng.chance(0.85).then(|| {
            let count = 1 + rng.weighted(&[30, 25, 20, 12, 8, 5]);
            let mut s: Vec<usize> = Vec::new();
            while s.len() < count {
                let x = rng.below(sectors.len());
                if !s.contains(&x) {
                    s.push(x);
                }
            }
            s
        });
        let op_count = rng.weighted(&[35, 45, 20]);
        let mut ops: Vec<(usize, String)> = Vec::new();
        while ops.len() < op_count {
            let o = rng.below(operators.len());
            if !ops.iter().any(|(x, _)| *x == o) {
                ops.push((o, rng.pick(ROLES).to_string()));
            }
        }
        let mut fields: Vec<(&'static str, String)> = Vec::new();
        if rng.chance(0.8) {
            fields.push(("sponsor", format!("{}人民政府", places[home].name)));
        }
        if rng.chance(0.5) {
            let street =
                format!("{}路{}号", rng.pick(SYLLABLES).0.to_string() + rng.pick(SYLLABLES).0, rng.range(1, 999));
            fields.push((
                "address",
                format!("{}{}{street}", places[hub_city].name, places[host].name.replace(&places[hub_city].name, "")),
            ));
        }
        if rng.chance(0.55) {
            fields.push(("area_m2", (rng.range(3, 200) * 100).to_string()));
        }
        if rng.chance(0.05) {
            fields.push(("land_mu", format!("{:.1}", rng.range(20, 3000) as f64 / 10.0)));
        }
        if rng.chance(0.4) {
            fields.push(("workstations", rng.range(20, 500).to_string()));
        }
        if rng.chance(0.25) {
            fields.push(("offices", rng.range(2, 60).to_string()));
        }
        let opened_year = rng.range(2014, 2025);
        if rng.chance(0.65) {
            let opened = match rng.below(3) {
                0 => format!("{opened_year}"),
                1 => format!("{opened_year}-{:02}", rng.range(1, 12)),
                _ => format!("{opened_year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28)),
            };
            fields.push(("opened", format!("\"{opened}\"")));
        }
        match rng.below(100) {
            0..=6 => fields.push(("status", "planned".into())),
            7..=11 => fields.push(("status", "closed".into())),
            12..=20 => fields.push(("status", "active".into())),
            _ => {}
        }
        let outcomes = rng.chance(0.2).then(|| {
            let mut o = Vec::new();
            if rng.chance(0.8) {
                o.push(format!("projects: {}", rng.range(3, 200)));
            }
            if rng.chance(0.5) {
                o.push(format!("investment_cny: {}", rng.range(1, 5000) * 1_000_000));
            }
            if rng.chance(0.6) {
                o.push(format!("companies: {}", rng.range(2, 150)));
            }
            if rng.chance(0.4) {
                o.push(format!("landing_rate: {:.2}", rng.range(5, 90) as f64 / 100.0));
            }
            o
        });
        if let Some(o) = outcomes.filter(|o| !o.is_empty()) {
            fields.push(("outcomes", format!("\n  {}", o.join("\n  "))));
        }
        if rng.chance(0.15) {
            let c: Vec<String> = (0..rng.range(1, 4))
                .map(|_| format!("{}{}科技有限公司", rng.pick(BRANDS).0, rng.pick(SYLLABLES).0))
                .collect();
            fields.push(("notable_companies", flow_list(&c)));
        }
        if rng.chance(0.15) {
            let p: Vec<String> = (0..rng.range(1, 3)).map(|_| format!("{}大学", places[hub_city].short)).collect();
            let mut p2 = p.clone();
            p2.dedup();
            fields.push(("partners", flow_list(&p2)));
        }
        let mut sources = String::new();
        for s in 0..rng.range(1, 3) {
            let _ = write!(sources, "\n  - title: {}", y(rng.pick::<&str>(SOURCE_TITLES)));
            if rng.chance(0.6) {
                let _ = write!(sources, "\n    url: https://news.example.cn/{opened_year}/{slug}-{s}.html");
            }
            if rng.chance(0.5) {
                let _ = write!(
                    sources,
                    "\n    date: \"{}-{:02}-{:02}\"",
                    rng.range(opened_year, 2025),
                    rng.range(1, 12),
                    rng.range(1, 28)
                );
            }
        }
        fields.push(("sources", sources));
        if rng.chance(0.3) {
            fields.push((
                "updated",
                format!("\"{}-{:02}-{:02}\"", rng.range(2023, 2025), rng.range(1, 12), rng.range(1, 28)),
            ));
        }
        enclaves.push(Enclave {
            slug,
            name,
            name_en,
            home,
            host,
            model,
            sectors: sectors_of,
            operators: ops,
            kind,
            fields,
            body: String::new(),
            link: None,
        });
    }
    // Descriptions, each linking to another entry.
    for i in 0..enclaves.len() {
        let other = (enclaves.len() > 1).then(|| {
            let mut j = rng.below(enclaves.len() - 1);
            if j >= i {
                j += 1;
            }
            j
        });
        let link = other.map(|j| (j, enclaves[j].name.clone()));
        let body = describe(
            &mut rng,
            &enclaves[i],
            link.as_ref().map(|(j, n)| (enclaves[*j].slug.as_str(), n.as_str())),
            &places,
            &sectors,
            &models,
            &operators,
        );
        enclaves[i].body = body;
        enclaves[i].link = link;
    }

    // feidi's site.
    // Both folders are checked before anything is written.
    prepare(&args.out, &["content"]);
    if let Some(hugo) = &args.hugo {
        prepare(hugo, &["content", "layouts", "config.toml"]);
    }
    let content = args.out.join("content");
    fs::create_dir_all(content.join("terms")).unwrap();
    fs::create_dir_all(content.join("enclaves")).unwrap();
    copy_dir(&real.join("operators"), &content.join("operators"));
    // Generated enclaves name the real operators too: a real operator that no real enclave
    // names says so (`not_reported: [enclaves]`), which is no longer true here.
    for e in fs::read_dir(content.join("operators")).unwrap() {
        let path = e.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let fixed: Vec<String> = text.lines().filter_map(without_enclaves_gap).collect();
        if fixed.join("\n") != text.trim_end_matches('\n') {
            fs::write(&path, fixed.join("\n") + "\n").unwrap();
        }
    }
    copy_dir(&real.join("pages"), &content.join("pages"));
    // In one language, as the Hugo site is: the generated entries have no English forms.
    let site_yaml: String = fs::read_to_string(real.join("site.yaml"))
        .unwrap()
        .lines()
        .map(|l| if l.starts_with("languages:") { "language: zh-CN".to_string() } else { l.to_string() })
        .map(|l| l + "\n")
        .collect();
    fs::write(content.join("site.yaml"), site_yaml).unwrap();
    fs::write(content.join("terms/models.yaml"), &models_yaml).unwrap();
    fs::write(content.join("terms/operator-kinds.yaml"), &kinds_yaml).unwrap();
    fs::write(content.join("terms/sectors.yaml"), &sectors_text).unwrap();
    let mut places_text = places_yaml.trim_end().to_string();
    places_text.push_str("\n\n# ---------- more provinces, cities and districts ----------\n");
    for p in &places {
        if let Some(t) = &p.generated {
            places_text.push_str(t);
        }
    }
    fs::write(content.join("terms/places.yaml"), places_text).unwrap();
    for o in &operators {
        if let Some(text) = &o.text {
            fs::write(content.join("operators").join(format!("{}.md", o.term.id)), text).unwrap();
        }
    }
    for e in &enclaves {
        let mut t = format!("---\nname: {}\n", y(&e.name));
        if let Some(en) = &e.name_en {
            let _ = writeln!(t, "name_en: {}", y(en));
        }
        let _ = writeln!(t, "home: {}", y(&reference(&mut rng, &place_terms[e.home], &place_keys)));
        let _ = writeln!(t, "host: {}", y(&reference(&mut rng, &place_terms[e.host], &place_keys)));
        if let Some(k) = e.kind {
            let _ = writeln!(t, "kind: {}", KINDS[k].0);
        }
        if let Some(m) = e.model {
            let _ = writeln!(t, "model: {}", y(&reference(&mut rng, &models[m], &model_keys)));
        }
        if !e.operators.is_empty() {
            t.push_str("operators:\n");
            for (o, role) in &e.operators {
                let _ =
                    writeln!(t, "  - operator: {}\n    role: {role}", y(&reference(&mut rng, &op_terms[*o], &op_keys)));
            }
        }
        if let Some(s) = &e.sectors {
            let refs: Vec<String> = s.iter().map(|&x| reference(&mut rng, &sectors[x], &sector_keys)).collect();
            if rng.chance(0.5) {
                let _ = writeln!(t, "sectors: {}", flow_list(&refs));
            } else {
                t.push_str("sectors:\n");
                for r in refs {
                    let _ = writeln!(t, "  - {}", y(&r));
                }
            }
        }
        for (k, v) in &e.fields {
            let _ = writeln!(t, "{k}: {v}");
        }
        t.push_str("---\n");
        t.push_str(&e.body);
        fs::write(content.join("enclaves").join(format!("{}.md", e.slug)), t).unwrap();
    }
    let generated_places = places.iter().filter(|p| p.generated.is_some()).count();
    println!(
        "wrote {} enclaves, {} operators, {} places ({generated_places} added to the real ones), {} sectors to {}",
        enclaves.len(),
        operators.len(),
        places.len(),
        sectors.len(),
        args.out.display()
    );

    if let Some(hugo) = &args.hugo {
        write_hugo(hugo, repo, &enclaves, &places, &sectors, &models, &kinds, &operators);
        println!("wrote the same directory as a Hugo site to {}", hugo.display());
    }
}

/// A Chinese description of 600–1,200 characters with a list and a link to another entry.
fn describe(
    rng: &mut Rng,
    e: &Enclave,
    link: Option<(&str, &str)>,
    places: &[Place],
    sectors: &[Term],
    models: &[Term],
    operators: &[Operator],
) -> String {
    let home = &places[e.home];
    let host = &places[e.host];
    let host_city = &places[city_of(places, e.host)];
    let home_city = &places[city_of(places, e.home)];
    // `宁波市川福区` where the place is inside a city, `宁波市` for the city itself.
    let home_name = &if home_city.id == home.id || home.name.starts_with(&home_city.short) {
        home.name.clone()
    } else {
        format!("{}{}", home_city.name, home.name)
    };
    let sector_names: Vec<&str> = e.sectors.iter().flatten().map(|&s| sectors[s].name.as_str()).collect();
    let main_sector = sector_names.first().copied().unwrap_or("高新技术");
    let fill =
        |s: &str| s.replace("{home}", home_name).replace("{host}", &host_city.short).replace("{sector}", main_sector);
    let target = 600 + rng.below(601);
    let kind = e.kind.map_or("科创飞地", |k| KINDS[k].0);
    let mut out = String::new();
    let _ = write!(
        out,
        "{}是{home_name}在{}设立的{kind}，",
        e.name,
        if host.id == host_city.id { host.name.clone() } else { format!("{}{}", host_city.name, host.name) }
    );
    match e.fields.iter().find(|(k, _)| *k == "opened") {
        Some((_, d)) => {
            let _ = write!(out, "于{}年启用。", &d.trim_matches('"')[..4]);
        }
        None => out.push_str("来源没有给出启用时间。"),
    }
    let _ = write!(
        out,
        "它依托{}的人才、资本和创新资源，帮助{home_name}引进科技项目、培育高新技术企业，实现“研发在{}、转化在{}”的异地协同发展。\n\n",
        host_city.short, host_city.short, home.short
    );
    if let Some((_, a)) = e.fields.iter().find(|(k, _)| *k == "area_m2") {
        let _ = write!(out, "飞地的建筑面积约{a}平方米，");
    }
    out.push_str("空间内设有开放办公区、独立办公室、会议室和路演厅，为入驻团队提供工商注册、政策申报、投融资对接和人才招聘等一站式服务。\n\n");
    if sector_names.is_empty() {
        out.push_str("来源没有说明它的产业方向。它目前提供的服务包括：\n\n");
        for s in ["项目路演和投资对接", "政策咨询与申报辅导", "人才招聘与培训"] {
            let _ = writeln!(out, "- {s}");
        }
    } else {
        out.push_str("重点服务方向包括：\n\n");
        for s in &sector_names {
            let _ = writeln!(out, "- **{s}**：{}；", fill(rng.pick::<&str>(SECTOR_PHRASES)));
        }
    }
    out.push('\n');
    match (e.model, e.operators.first()) {
        (_, Some((o, _))) => {
            let _ = write!(out, "飞地由{}参与运营", operators[*o].term.name);
            if let Some(m) = e.model {
                let _ = write!(out, "，运营模式为“{}”", models[m].name);
            }
            out.push('。');
        }
        (Some(m), None) => {
            let _ = write!(out, "飞地的运营模式为“{}”，来源没有点名具体的运营机构。", models[m].name);
        }
        (None, None) => out.push_str("来源没有说明飞地的运营方式。"),
    }
    if let Some((slug, name)) = link {
        let _ = write!(
            out,
            "与[{name}](@/enclaves/{slug}.md)相比，这里更侧重{main_sector}方向的项目招引，两者在运营上互有借鉴。"
        );
    }
    out.push_str("\n\n");
    let mut order: Vec<usize> = (0..FILLERS.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut paragraph = 0;
    for i in order {
        let (len, next) = (out.chars().count(), fill(FILLERS[i]));
        if len >= target {
            break;
        }
        if len + next.chars().count() > 1_200 {
            continue;
        }
        out.push_str(&next);
        paragraph += 1;
        if paragraph % 3 == 0 {
            out.push_str("\n\n");
        }
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// The same directory as a Hugo site: front matter with the fields and taxonomies (term ids,
/// host and home rolled up), a `_index.md` for each term in use with its display name, and the
/// layouts and configuration of `benches/hugo/`. `dir` has been prepared by `prepare`.
#[allow(clippy::too_many_arguments)]
fn write_hugo(
    dir: &Path,
    repo: &Path,
    enclaves: &[Enclave],
    places: &[Place],
    sectors: &[Term],
    models: &[Term],
    kinds: &[Term],
    operators: &[Operator],
) {
    let src = repo.join("benches/hugo");
    copy_dir(&src.join("layouts"), &dir.join("layouts"));
    fs::copy(src.join("config.toml"), dir.join("config.toml")).unwrap();
    let content = dir.join("content");
    fs::create_dir_all(content.join("enclaves")).unwrap();
    fs::write(content.join("enclaves/_index.md"), "---\ntitle: 全部飞地\n---\n").unwrap();
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let ids = |v: &[usize], f: &dyn Fn(usize) -> String| {
        format!("[{}]", v.iter().map(|&i| q(&f(i))).collect::<Vec<_>>().join(", "))
    };
    let mut used: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for e in enclaves {
        let hosts = rollup(places, e.host);
        let homes = rollup(places, e.home);
        used.entry("hosts").or_default().extend(&hosts);
        used.entry("homes").or_default().extend(&homes);
        let mut t = format!("---\ntitle: {}\n", q(&e.name));
        if let Some(en) = &e.name_en {
            let _ = writeln!(t, "name_en: {}", q(en));
        }
        let _ = writeln!(t, "home_place: {}\nhost_place: {}", q(&places[e.home].id), q(&places[e.host].id));
        let _ = writeln!(t, "hosts: {}", ids(&hosts, &|i| places[i].id.clone()));
        let _ = writeln!(t, "homes: {}", ids(&homes, &|i| places[i].id.clone()));
        if let Some(k) = e.kind {
            let _ = writeln!(t, "enclave_kind: {}", q(KINDS[k].0));
        }
        if let Some(m) = e.model {
            used.entry("models").or_default().insert(m);
            let _ = writeln!(t, "models: [{}]", q(&models[m].id));
        }
        if let Some(s) = &e.sectors {
            used.entry("sectors").or_default().extend(s);
            let _ = writeln!(t, "sectors: {}", ids(s, &|i| sectors[i].id.clone()));
        }
        if !e.operators.is_empty() {
            let o: Vec<usize> = e.operators.iter().map(|(o, _)| *o).collect();
            used.entry("operators").or_default().extend(&o);
            let _ = writeln!(t, "operators: {}", ids(&o, &|i| operators[i].term.id.clone()));
            let roles: Vec<String> = e.operators.iter().map(|(_, r)| r.clone()).collect();
            let _ = writeln!(t, "roles: {}", ids(&(0..roles.len()).collect::<Vec<_>>(), &|i| roles[i].clone()));
        }
        for (k, v) in &e.fields {
            let _ = writeln!(t, "{k}: {v}");
        }
        t.push_str("---\n");
        t.push_str(&e.body.replace("](@/enclaves/", "]({{< relref \"/enclaves/").replace(".md)", ".md\" >}})"));
        fs::write(content.join("enclaves").join(format!("{}.md", e.slug)), t).unwrap();
    }
    // One `_index.md` per term in use: its display name and what the term pages show.
    for (taxonomy, set) in &used {
        fs::create_dir_all(content.join(taxonomy)).unwrap();
        for &i in set {
            let (id, mut text) = match *taxonomy {
                "hosts" | "homes" => {
                    let p = &places[i];
                    let parent = p.parent.map(|x| places[x].name.clone()).unwrap_or_default();
                    (
                        p.id.clone(),
                        format!(
                            "---\ntitle: {}\nname_en: {}\nlevel: {}\nparent: {}\nhas_coords: {}\n",
                            q(&p.name),
                            q(p.name_en.as_deref().unwrap_or("")),
                            p.level,
                            q(&parent),
                            p.has_coords
                        ),
                    )
                }
                "sectors" => (sectors[i].id.clone(), format!("---\ntitle: {}\n", q(&sectors[i].name))),
                "models" => (models[i].id.clone(), format!("---\ntitle: {}\n", q(&models[i].name))),
                _ => {
                    let o = &operators[i];
                    let hq = o.hq.map(|h| places[h].name.clone()).unwrap_or_default();
                    (
                        o.term.id.clone(),
                        format!(
                            "---\ntitle: {}\nname_en: {}\nkind: {}\nhq: {}\n",
                            q(&o.term.name),
                            q(o.term.name_en.as_deref().unwrap_or("")),
                            q(&kinds[o.kind].name),
                            q(&hq)
                        ),
                    )
                }
            };
            text.push_str("---\n");
            fs::create_dir_all(content.join(taxonomy).join(&id)).unwrap();
            fs::write(content.join(taxonomy).join(&id).join("_index.md"), text).unwrap();
        }
    }
}
