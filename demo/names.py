"""Static lists behind the demo data (`demo.seed`): names, ranks, satfung, satker, places.

Plain data, no logic. Every list is ordered and never shuffled here, so the demo
generator stays deterministic.
"""

from __future__ import annotations

# --- people ---------------------------------------------------------------------------------

# Name pools by cultural group: (first names, middle names, last names, weight).
# Middle names are optional and only used now and then.
NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int], ...] = (
    (  # Javanese
        ("AGUS", "BUDI", "SLAMET", "SUGENG", "JOKO", "BAMBANG", "EKO", "DWI", "TRI", "HERU",
         "WAHYU", "SUPRIYADI", "SUTRISNO", "PURWANTO", "DIDIK", "ARIS", "BAYU", "YUDI", "HADI",
         "TEGUH", "SETYO", "BUDIONO", "SUKARDI", "PRIYO", "WIDODO", "ANANG", "ANDIK", "NANANG",
         "ENDRO", "GUNTUR", "KUSWANTO", "SISWANTO", "DANANG", "RUDI", "YULI", "HARI"),
        ("ADI", "BUDI", "DWI", "EKO", "SRI", "TRI", "TEGUH", "PUJI"),
        ("SANTOSO", "SUSANTO", "PRASETYO", "SETIAWAN", "WIBOWO", "NUGROHO", "PURNOMO",
         "KURNIAWAN", "HARYANTO", "HARTONO", "SURYANTO", "SUSILO", "WAHYUDI", "RIYADI",
         "PRAYITNO", "SUPRAPTO", "SAPUTRO", "WIJAYA", "SULISTYO", "WIDODO", "UTOMO", "SUBAGYO",
         "MULYONO", "RAHARJO", "SETIADI", "HANDOKO", "PRAMONO", "SUWITO"),
        46,
    ),
    (  # Sundanese
        ("ASEP", "DEDE", "UJANG", "CECEP", "DADANG", "HENDRA", "IWAN", "YAYAN", "DEDI",
         "ENDANG", "AGUNG", "ADE", "ENTIS", "ROHMAT"),
        ("SUPRIATNA", "SURYANA", "DEDI"),
        ("PERMANA", "GUNAWAN", "HIDAYAT", "SUKMANA", "KUSNADI", "SAPUTRA", "SOPIAN",
         "SUPRIATNA", "KURNIA", "SETIAWAN", "NURDIN", "MULYANA", "RUSMANA"),
        10,
    ),
    (  # Muslim / Arabic-derived
        ("MUHAMMAD", "AHMAD", "ABDUL", "RIZKY", "FAJAR", "ILHAM", "FAISAL", "HASAN", "IMAM",
         "YUSUF", "ARIF", "NUR", "MOCH", "FIRMAN", "HUSEIN", "ZAINAL", "SYAIFUL", "RIDWAN",
         "HAMZAH", "LUKMAN", "ALI", "RAHMAT"),
        ("NUR", "ABDUL", "AKBAR", "ALI", "RIZAL", "FAUZI", "KHOIRUL"),
        ("HIDAYATULLAH", "RAHMAN", "SYAIFUDDIN", "MAULANA", "FIRMANSYAH", "RAMADHAN",
         "NURHADI", "EFFENDI", "ANSHORI", "MUBAROK", "ASHARI", "FAUZAN", "HAKIM", "HUDA",
         "ROZAQ", "ARIFIN", "MUSTOFA", "ZAKARIA", "KHOLIL"),
        22,
    ),
    (  # Christian (Batak, Manado, Javanese-Catholic)
        ("YOHANES", "YOSUA", "STEFANUS", "MARKUS", "ANDREAS", "FRANSISKUS", "KRISTIAN",
         "DANIEL", "PETRUS", "PAULUS", "AGUSTINUS", "ROBERT", "MARTINUS", "YAKOBUS", "BENNY"),
        ("PAULUS", "MARIA", "DAVID", "YOSEF"),
        ("SIMANJUNTAK", "SIREGAR", "HUTAPEA", "NAINGGOLAN", "MANURUNG", "SITOMPUL", "PARDEDE",
         "LUMBANTOBING", "TAMPUBOLON", "WENAS", "RUMONDOR", "SIHOMBING", "SITUMORANG",
         "PANGARIBUAN", "KAUNANG", "SETIADI"),
        10,
    ),
    (  # Polwan (female officers), mixed backgrounds
        ("SITI", "DEWI", "RINA", "NOVI", "FITRI", "PUTRI", "AYU", "INDAH", "WULAN", "ANISA",
         "NURUL", "DIAN", "RATNA", "RETNO", "SRI", "YULIA", "MARIA", "THERESIA", "LINDA",
         "DESI", "EKA", "LILIS", "NENG", "ELISABETH"),
        ("NUR", "AYU", "DWI", "SRI", "MARIA", "PUTRI"),
        ("RAHAYU", "LESTARI", "WULANDARI", "HANDAYANI", "PURWANTI", "SUSANTI", "ANGGRAINI",
         "PERMATASARI", "KUSUMAWATI", "NOVITASARI", "FITRIANI", "MARLINA", "SARI",
         "SIMATUPANG", "AMALIA", "NURHAYATI", "RAHMAWATI", "PRATIWI"),
        12,
    ),
)

# Academic suffixes officers often carry in personnel data.
DEGREES: tuple[str, ...] = (", S.H.", ", S.I.K.", ", S.E.", ", S.H., M.H.", ", S.Sos.",
                            ", S.Kom.", ", S.Pd.")

# Officers (perwira) among the ranks the demo draws.
OFFICER_RANKS: frozenset[str] = frozenset({"KOMISARIS BESAR POLISI", "AKBP", "KOMPOL", "AKP",
                                           "IPTU", "IPDA"})

# Non-commanding personnel: mostly BRIPDA..AIPTU, a few junior officers.
RANK_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("BRIPDA", 15), ("BRIPTU", 14), ("BRIGADIR", 13), ("BRIGPOL", 2), ("BRIGADIR POLISI", 1),
    ("BRIPKA", 18), ("AIPDA", 14), ("AIPTU", 15), ("IPDA", 5), ("IPTU", 2), ("AKP", 1),
)

# --- satfung and jabatan --------------------------------------------------------------------

# Polres satfung (besides "POLSEK <KECAMATAN>") and their share of a Polres' population.
POLRES_SATFUNG_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("SAT BINMAS", 22), ("BAG OPS", 5), ("BAG REN", 2), ("BAG SUMDA", 3), ("SAT INTELKAM", 6),
    ("SAT RESKRIM", 4), ("SAT SAMAPTA", 5), ("SAT LANTAS", 4), ("SI HUMAS", 4),
    ("SI PROPAM", 2), ("SPKT", 4), ("POLSEK", 55),
)

# Positions by satfung: (for officers, for the others). "{kec}" is the Polsek's kecamatan.
JABATAN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "SAT BINMAS": (("KANIT BINPOLMAS", "KANIT BINTIBMAS", "KAUR BINOPS SAT BINMAS",
                    "KANIT BINKAMSA"),
                   ("BA SAT BINMAS", "BAMIN SAT BINMAS", "BANIT BINPOLMAS",
                    "BANIT BINTIBMAS")),
    "BAG OPS": (("KASUBBAG BINOPS", "PAUR SUBBAG BINOPS"), ("BA BAG OPS", "BAMIN BAG OPS")),
    "BAG REN": (("KASUBBAG PROGAR", "PAUR SUBBAG DALGAR"), ("BA BAG REN", "BAMIN BAG REN")),
    "BAG SUMDA": (("KASUBBAG PERS", "PAUR SUBBAG PERS"), ("BA BAG SUMDA", "BAMIN BAG SUMDA")),
    "SAT INTELKAM": (("KANIT INTELKAM", "KAUR BINOPS SAT INTELKAM"),
                     ("BA SAT INTELKAM", "BANIT INTELKAM")),
    "SAT RESKRIM": (("KANIT PIDUM", "KANIT PPA"), ("BA SAT RESKRIM", "PENYIDIK PEMBANTU")),
    "SAT SAMAPTA": (("KANIT TURJAWALI", "KANIT DALMAS"), ("BA SAT SAMAPTA", "BANIT DALMAS")),
    "SAT LANTAS": (("KANIT REGIDENT", "KANIT GAKKUM"), ("BA SAT LANTAS", "BANIT TURJAWALI")),
    "SI HUMAS": (("PS. KASI HUMAS", "PAUR SUBSI PIDM"), ("BA SI HUMAS", "BAMIN SI HUMAS")),
    "SI PROPAM": (("PS. KASI PROPAM", "KANIT PROVOS"), ("BA SI PROPAM", "BANIT PROVOS")),
    "SPKT": (("KA SPKT", "PAWAS"), ("BA SPKT", "BAMIN SPKT")),
    "POLSEK": (("KAPOLSEK {kec}", "KANIT BINMAS POLSEK {kec}"),
               ("BHABINKAMTIBMAS POLSEK {kec}",)),
}

# Ditbinmas Polda staff: satfung, and the command posts filled first (jabatan, rank, satfung).
DITBINMAS_SATFUNG: tuple[str, ...] = (
    "BAG BINOPSNAL", "SUBBAG RENMIN", "SUBDIT BINPOLMAS", "SUBDIT BINSATPAM",
    "SUBDIT BHABINKAMTIBMAS", "SUBDIT BINTIBSOS",
)
DITBINMAS_COMMAND: tuple[tuple[str, str, str], ...] = (
    ("DIRBINMAS POLDA JATIM", "KOMISARIS BESAR POLISI", "BAG BINOPSNAL"),
    ("WADIRBINMAS POLDA JATIM", "AKBP", "BAG BINOPSNAL"),
    ("KASUBDIT BINPOLMAS", "AKBP", "SUBDIT BINPOLMAS"),
    ("KASUBDIT BHABINKAMTIBMAS", "AKBP", "SUBDIT BHABINKAMTIBMAS"),
    ("KABAG BINOPSNAL", "AKBP", "BAG BINOPSNAL"),
    ("KASUBBAG RENMIN", "KOMPOL", "SUBBAG RENMIN"),
    ("KASUBDIT BINSATPAM", "AKBP", "SUBDIT BINSATPAM"),
    ("KASUBDIT BINTIBSOS", "AKBP", "SUBDIT BINTIBSOS"),
)
DITBINMAS_JABATAN: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("KANIT", "PANIT", "PAUR", "PAMIN"),
    ("BANIT", "BAMIN", "BA"),
)

# --- places ---------------------------------------------------------------------------------

# Common village names across East Java (many exist in several kabupaten).
DESA: tuple[str, ...] = (
    "SUMBEREJO", "SIDOMULYO", "KARANGREJO", "TANJUNGSARI", "WONOREJO", "SUKOREJO",
    "KEDUNGREJO", "BANJARSARI", "MOJOSARI", "PURWODADI", "TEGALREJO", "NGADIREJO", "SIDOREJO",
    "SUMBERSARI", "KEBONAGUNG", "JATIREJO", "GEDANGAN", "KEDUNGSARI", "MARGOMULYO",
    "SUMBERAGUNG", "KALIREJO", "REJOSARI", "SUKODADI", "GONDANG", "KARANGANYAR", "SIDOHARJO",
    "WATES", "SAMBIREJO", "JATISARI", "SUMBERJO", "TAMBAKREJO", "KEMIRI", "NGRAMBE",
    "BANYUURIP", "KEDUNGWARU", "PANDANSARI", "SITIREJO", "TAWANGREJO", "MULYOREJO",
    "SUMBERMULYO", "KALISARI", "DUKUH", "SENDANG", "BULUREJO", "NGEMPLAK", "PUCANGANOM",
)

# --- satker of Polda Jawa Timur ---------------------------------------------------------------

POLDA_ID, POLDA_NAME = "POLDA_JATIM", "POLDA JAWA TIMUR"
DIRECTORATE_ID, DIRECTORATE_NAME = "DITBINMAS", "DIREKTORAT BINMAS"
DIRECTORATE_STAFF = 100

# The 38 Polres/Polresta/Polrestabes (Polres Pelabuhan Tanjung Perak has no Binmas DSP), with
# a DSP-like personnel size (33..335, summing with DITBINMAS to about 6,300) and kecamatan.
SATKERS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("POLRES LAMONGAN", 255, (
        "BABAT", "BRONDONG", "PACIRAN", "SUKODADI", "GLAGAH", "DEKET", "TURI", "KEMBANGBAHU",
        "MANTUP", "SAMBENG", "NGIMBANG", "MODO", "SUGIO", "KEDUNGPRING", "LAREN", "SOLOKURO")),
    ("POLRES BOJONEGORO", 265, (
        "KAPAS", "BALEN", "SUMBERREJO", "KANOR", "BAURENO", "DANDER", "KALITIDU", "PADANGAN",
        "KASIMAN", "NGASEM", "TEMAYANG", "SUGIHWARAS", "KEDUNGADEM", "MALO", "TRUCUK")),
    ("POLRES NGAWI", 155, (
        "PARON", "KEDUNGGALAR", "WIDODAREN", "MANTINGAN", "PANGKUR", "BRINGIN", "KARANGJATI",
        "GENENG", "JOGOROGO", "NGRAMBE", "SINE", "KENDAL")),
    ("POLRESTABES SURABAYA", 335, (
        "GENTENG", "TEGALSARI", "BUBUTAN", "SIMOKERTO", "GUBENG", "WONOKROMO", "RUNGKUT",
        "SUKOLILO", "TAMBAKSARI", "KENJERAN", "WONOCOLO", "TANDES", "BENOWO", "LAKARSANTRI")),
    ("POLRESTA SIDOARJO", 240, (
        "BUDURAN", "CANDI", "PORONG", "KRIAN", "TAMAN", "WARU", "GEDANGAN", "SEDATI",
        "TANGGULANGIN", "TULANGAN", "WONOAYU", "SUKODONO")),
    ("POLRESTA MALANG KOTA", 95, ("KLOJEN", "BLIMBING", "LOWOKWARU", "SUKUN",
                                   "KEDUNGKANDANG")),
    ("POLRESTA BANYUWANGI", 225, (
        "GIRI", "GLAGAH", "KABAT", "ROGOJAMPI", "SRONO", "GENTENG", "GAMBIRAN", "MUNCAR",
        "PURWOHARJO", "BANGOREJO", "KALIBARU", "WONGSOREJO", "CLURING")),
    ("POLRES GRESIK", 195, (
        "KEBOMAS", "MANYAR", "CERME", "MENGANTI", "DRIYOREJO", "WRINGINANOM", "DUDUKSAMPEYAN",
        "BUNGAH", "SIDAYU", "PANCENG", "UJUNGPANGKAH", "SANGKAPURA")),
    ("POLRES MOJOKERTO", 195, (
        "MOJOSARI", "PUNGGING", "NGORO", "PACET", "TRAWAS", "JETIS", "SOOKO", "TROWULAN",
        "PURI", "BANGSAL", "DLANGGU", "GONDANG")),
    ("POLRES MOJOKERTO KOTA", 45, ("PRAJURIT KULON", "MAGERSARI", "KRANGGAN")),
    ("POLRES JOMBANG", 205, (
        "DIWEK", "MOJOAGUNG", "PLOSO", "TEMBELANG", "PETERONGAN", "SUMOBITO", "KABUH", "NGORO",
        "BARENG", "MOJOWARNO", "PERAK")),
    ("POLRES TUBAN", 215, (
        "JENU", "MERAKURAK", "SEMANDING", "PALANG", "PLUMPANG", "WIDANG", "RENGEL", "SOKO",
        "MONTONG", "BANCAR", "JATIROGO", "KEREK", "SINGGAHAN")),
    ("POLRES MAGETAN", 145, (
        "MAOSPATI", "PLAOSAN", "SUKOMORO", "BENDO", "KAWEDANAN", "TAKERAN", "PANEKAN",
        "PARANG", "PONCOL", "KARANGREJO", "LEMBEYAN")),
    ("POLRES MADIUN", 135, (
        "MEJAYAN", "DOLOPO", "GEGER", "DAGANGAN", "JIWAN", "SARADAN", "BALEREJO",
        "PILANGKENCENG", "WUNGU", "KARE", "GEMARANG")),
    ("POLRES MADIUN KOTA", 40, ("KARTOHARJO", "MANGUHARJO", "TAMAN")),
    ("POLRES PONOROGO", 205, (
        "BABADAN", "JENANGAN", "SIMAN", "BALONG", "JETIS", "SAWOO", "SLAHUNG", "SUKOREJO",
        "SAMBIT", "PULUNG", "SOOKO")),
    ("POLRES PACITAN", 130, (
        "ARJOSARI", "KEBONAGUNG", "TULAKAN", "PUNUNG", "DONOROJO", "PRINGKUKU", "NAWANGAN",
        "NGADIROJO", "SUDIMORO")),
    ("POLRES TRENGGALEK", 110, (
        "KARANGAN", "POGALAN", "DURENAN", "WATULIMO", "PANGGUL", "MUNJUNGAN", "GANDUSARI",
        "TUGU", "DONGKO")),
    ("POLRES TULUNGAGUNG", 195, (
        "KEDUNGWARU", "NGUNUT", "BOYOLANGU", "CAMPURDARAT", "KALIDAWIR", "SUMBERGEMPOL",
        "BANDUNG", "GONDANG", "KAUMAN", "PAKEL", "REJOTANGAN")),
    ("POLRES BLITAR", 170, (
        "KANIGORO", "WLINGI", "SRENGAT", "KADEMANGAN", "SUTOJAYAN", "TALUN", "GARUM",
        "NGLEGOK", "UDANAWU", "WONODADI", "PONGGOK")),
    ("POLRES BLITAR KOTA", 33, ("SUKOREJO", "KEPANJENKIDUL", "SANANWETAN")),
    ("POLRES KEDIRI", 215, (
        "PARE", "KANDANGAN", "GURAH", "NGADILUWIH", "KRAS", "WATES", "PLEMAHAN", "PAPAR",
        "PURWOASRI", "GROGOL", "SEMEN", "MOJO", "KANDAT")),
    ("POLRES KEDIRI KOTA", 55, ("MOJOROTO", "PESANTREN", "KOTA")),
    ("POLRES NGANJUK", 190, (
        "KERTOSONO", "BAGOR", "LOCERET", "PACE", "TANJUNGANOM", "SUKOMORO", "REJOSO", "BERBEK",
        "GONDANG", "PRAMBON", "WILANGAN")),
    ("POLRES MALANG", 250, (
        "KEPANJEN", "SINGOSARI", "LAWANG", "TUREN", "DAMPIT", "PAKIS", "TUMPANG", "GONDANGLEGI",
        "BULULAWANG", "KARANGPLOSO", "DAU", "PUJON", "NGANTANG", "SUMBERPUCUNG")),
    ("POLRES BATU", 48, ("BATU", "BUMIAJI", "JUNREJO")),
    ("POLRES PASURUAN", 215, (
        "BANGIL", "BEJI", "GEMPOL", "PANDAAN", "PRIGEN", "PURWOSARI", "SUKOREJO",
        "GONDANGWETAN", "GRATI", "KRATON", "REMBANG", "WINONGAN")),
    ("POLRES PASURUAN KOTA", 50, ("BUGUL KIDUL", "GADINGREJO", "PANGGUNGREJO", "PURWOREJO")),
    ("POLRES PROBOLINGGO", 205, (
        "KRAKSAAN", "PAITON", "DRINGU", "LECES", "TONGAS", "SUMBERASIH", "WONOMERTO",
        "GENDING", "PAJARAKAN", "MARON", "BESUK", "SUKAPURA")),
    ("POLRES PROBOLINGGO KOTA", 42, ("MAYANGAN", "KANIGARAN", "KADEMANGAN", "WONOASIH")),
    ("POLRES LUMAJANG", 155, (
        "SUKODONO", "TEMPEH", "PASIRIAN", "CANDIPURO", "YOSOWILANGUN", "KUNIR", "SENDURO",
        "KLAKAH", "RANDUAGUNG", "JATIROTO", "TEKUNG")),
    ("POLRES JEMBER", 255, (
        "KALIWATES", "SUMBERSARI", "PATRANG", "AMBULU", "BALUNG", "PUGER", "WULUHAN",
        "TANGGUL", "RAMBIPUJI", "KALISAT", "MUMBULSARI", "KENCONG", "BANGSALSARI", "ARJASA")),
    ("POLRES BONDOWOSO", 165, (
        "TENGGARANG", "CURAHDAMI", "GRUJUGAN", "MAESAN", "WONOSARI", "TAMANAN", "PRAJEKAN",
        "TAPEN", "TLOGOSARI", "PUJER")),
    ("POLRES SITUBONDO", 105, (
        "PANJI", "PANARUKAN", "KAPONGAN", "MANGARAN", "BESUKI", "SUBOH", "ASEMBAGUS",
        "ARJASA", "JANGKAR", "KENDIT")),
    ("POLRES BANGKALAN", 180, (
        "BURNEH", "AROSBAYA", "SOCAH", "KAMAL", "LABANG", "KWANYAR", "TANAH MERAH", "BLEGA",
        "GALIS", "KOKOP")),
    ("POLRES SAMPANG", 130, (
        "CAMPLONG", "TORJUN", "OMBEN", "KEDUNGDUNG", "JRENGIK", "TAMBELANGAN", "SOKOBANAH",
        "KETAPANG", "BANYUATES", "ROBATAL")),
    ("POLRES PAMEKASAN", 135, (
        "PADEMAWU", "GALIS", "LARANGAN", "PROPPO", "PALENGAAN", "PEGANTENAN", "TLANAKAN",
        "KADUR", "WARU", "PASEAN")),
    ("POLRES SUMENEP", 225, (
        "KALIANGET", "SARONGGI", "LENTENG", "GANDING", "GULUK-GULUK", "PRAGAAN", "BLUTO",
        "AMBUNTEN", "DASUK", "MANDING", "TALANGO")),
)

# The small demo: three Polres and their personnel counts (with DITBINMAS staff: 80 people).
SMALL_SATKERS: tuple[tuple[str, int], ...] = (
    ("POLRES LAMONGAN", 26), ("POLRES BOJONEGORO", 24), ("POLRES NGAWI", 20),
)
SMALL_DIRECTORATE_STAFF = 10

# --- content --------------------------------------------------------------------------------

CAPTION_OPENERS: tuple[str, ...] = (
    "Bhabinkamtibmas {satker} melaksanakan sambang ke warga {place}",
    "Kegiatan Jumat Curhat bersama warga {place}",
    "Patroli dialogis dan cooling system di wilayah {place}",
    "Sosialisasi bahaya narkoba kepada pelajar di {place}",
    "Binluh Kamtibmas kepada kelompok tani {place}",
    "Pengecekan pos kamling dan siskamling di {place}",
    "Sambang tokoh agama dan tokoh masyarakat {place}",
    "Penyuluhan tertib berlalu lintas bagi pelajar {place}",
    "Bakti sosial dan pembagian sembako untuk warga {place}",
    "Pendampingan penyaluran bantuan langsung tunai di {place}",
    "Sosialisasi pencegahan perundungan di sekolah wilayah {place}",
    "Giat problem solving perselisihan warga di {place}",
    "Imbauan waspada penipuan online kepada warga {place}",
    "Pengamanan kegiatan ibadah dan pengajian akbar di {place}",
)
CAPTION_CLOSERS: tuple[str, ...] = (
    "Polri hadir di tengah masyarakat.",
    "Bersama menjaga kamtibmas yang aman dan kondusif.",
    "Terima kasih atas partisipasi seluruh warga.",
    "Mari jaga lingkungan kita bersama.",
    "Salam Presisi!",
    "Kamtibmas kondusif, masyarakat sejahtera.",
)
HASHTAGS: tuple[str, ...] = (
    "#PolriPresisi", "#BinmasJatim", "#PoldaJatim", "#Bhabinkamtibmas", "#PolriUntukMasyarakat",
    "#JumatCurhat", "#CoolingSystem", "#KamtibmasKondusif", "#HumasPolri",
)

# Words for non-personnel ("public") usernames that like or comment on official posts.
PUBLIC_WORDS: tuple[str, ...] = (
    "warga", "info", "kabar", "berita", "pemuda", "karang.taruna", "ibu", "mas", "mbak", "cak",
    "arek", "dulur", "sedulur", "santri", "relawan", "ojol", "kopi", "jualan", "toko", "umkm",
)
