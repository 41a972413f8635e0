// Certificate authentication recorded from two strongSwan 5.9.8 charons (scripts/ike-vectors/record.sh with
// AUTH=certs, IKE aes128gcm16-prfsha256-x25519): gw-a signs with an ECDSA P-256 certificate, gw-b with RSA-2048,
// both issued by one CA. RFC7427: strongSwan's defaults with SIGNATURE_HASH_ALGORITHMS (ecdsa-with-SHA256 and
// RSASSA-PSS SHA-256/salt 32, auth method 14). LEGACY: signature_authentication = no (methods 9 and 1). We decrypt
// strongSwan's IKE_AUTH messages, validate the certificates they carry, rebuild the signed octets from the
// IKE_SA_INIT messages, and verify strongSwan's AUTH signatures.
package bitw.ipsec.ike.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import bitw.ipsec.crypto.EncryptionAlgorithm;
import bitw.ipsec.crypto.IntegrityAlgorithm;
import bitw.ipsec.packet.Bytes;

class StrongSwanSignatureVectorsTest {
    private static final int NONCE = 40, IDI = 35, IDR = 36, CERT = 37, AUTH = 39;
    private static final Set<SignatureScheme> ALL = EnumSet.allOf(SignatureScheme.class);

    static final String RFC7427_CA_CERT =
            "308201863082012da003020102021440be029613d841ce20a4e8a137ea70e803450fa5300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303735355a170d333631" +
            "3131393134303735355a30193117301506035504030c0e696b6520766563746f72732043413059301306072a8648ce3d" +
            "020106082a8648ce3d03010703420004720646a78e1d7161a551c157e1639716768294bdd60c23d2e08e757743107923" +
            "8a92e20061f96240e5cebb5f7b2b3b3aa5566a412ca8b18a070ea5aaa971df92a3533051301d0603551d0e0416041445" +
            "6766306f184f7b151a41c1aa0a8c12672913b4301f0603551d23041830168014456766306f184f7b151a41c1aa0a8c12" +
            "672913b4300f0603551d130101ff040530030101ff300a06082a8648ce3d040302034700304402207a78cbef3ad67ae8" +
            "065d6989c70a360c46400fca39009dd63cde5b933a5a746c022013ff11249f474916c33e37abd55fc8db9d9d203de10b" +
            "be7cbc541856caf093d1";
    static final String RFC7427_A_CERT =
            "3082019a30820140a003020102021430203ac098934117fd02108b62f23b78b3766f77300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303735365a170d333631" +
            "3131393134303735365a30173115301306035504030c0c67772d612e6578616d706c653059301306072a8648ce3d0201" +
            "06082a8648ce3d030107034200044a7bd1749be0f07fe01e5c5a54d084129b5735f5154f5f3ecf3bf07dc2591e78cd53" +
            "1fb8004a6f70e09f0db007a3d9937eafc3e0327c28584e10640d324ba217a368306630170603551d110410300e820c67" +
            "772d612e6578616d706c65300b0603551d0f040403020780301d0603551d0e041604148fea34c59ab4acfd13e3212285" +
            "375ab0191b1c63301f0603551d23041830168014456766306f184f7b151a41c1aa0a8c12672913b4300a06082a8648ce" +
            "3d04030203480030450220415f4a337b07b09b8dbed3dc1a928153f75013250e5c8cf109d3dc7d47037358022100baa6" +
            "d01cde74568260573269f0bc4f15408347b56513a1ad7da8cf33a71e7e3b";
    static final String RFC7427_B_CERT =
            "308202653082020ba003020102021430203ac098934117fd02108b62f23b78b3766f78300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303735365a170d333631" +
            "3131393134303735365a30173115301306035504030c0c67772d622e6578616d706c6530820122300d06092a864886f7" +
            "0d01010105000382010f003082010a0282010100a7bc0e6bcb801d61389ee9e6d80c3d272a92508fc7003105fc739288" +
            "44b057d250eb1729ede03ae0359d6563cf88033245b4ce18e3693555d4ca8d248e1a316c332adcdb8a0ecb1a568aea3c" +
            "dd7bcd70888b7cc1e636808616887b331ce9ec5e0cd7f32c3451ba4aad7a602f80fd52856b68de287b27e9ec6aabb38a" +
            "8e16730ff01e892a75ad1b31f9a44bd7756de645c8b5a4a6b23f2b9e703262b9f2258c2699845411cc4e1a150b89c713" +
            "a731e813c0d19795755279dbbff5cad58feaadd9a19fea3df6e7a2f5f866c648462aac54665bfde3aeca8a20123f11b8" +
            "c644112e7c0e4ebfe1db6c0cc37e2b77dc6291d4b4207e97ab8d364abd4f03d70e9736330203010001a3683066301706" +
            "03551d110410300e820c67772d622e6578616d706c65300b0603551d0f040403020780301d0603551d0e041604145daa" +
            "d62ea4c84e7a61fd05712a53b44911c6ab52301f0603551d23041830168014456766306f184f7b151a41c1aa0a8c1267" +
            "2913b4300a06082a8648ce3d04030203480030450221008ef2d1706e87a93de145df64f2e828e99735884757e5799a6d" +
            "6fa23f17311cd1022035a7c8aac4e684da61fad4e580c48bb3eb760436447de5ca83293a78294a98d8";
    static final Map<String, String> RFC7427 = Map.ofEntries(
            Map.entry("initRequest", "423ec25ba4607fb400000000000000002120220800000000000000e02200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f0000817941d00fcaa7bdaff781e9d68b2117bd94e178" +
                    "35e286c1a612ccef8561295b29000024e79c1457dc1430f1550bbc6455a56db599206a963b391ca8246df7ac80af0720" +
                    "2900001c000040041586b489d89e5e9e308549d2052267f5ab89fb8e2900001c00004005a523538710e999b794ae34cd" +
                    "8e548022e143825d290000100000402f00020003000400050000000800004016"),
            Map.entry("initResponse", "423ec25ba4607fb4bc8da86245353f342120222000000000000001012200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f00008b676af8781a83d7657191e43d77e175a1272f7a" +
                    "4d0ff1ca8048704b02714c602900002430d1881f2191f4877c756587b86cde32465a8ddda0d0fdac9871a53d01249cb3" +
                    "2900001c000040049b11d1655ec648e17c537a5abf3cf31d43e95d172600001c0000400575987ca9b96b1c9ed7132a6f" +
                    "31f3dedccd5948e629000019043852b96b39aa32d8c742eb80c099131c89cb8d2e290000100000402f00020003000400" +
                    "0529000008000040220000000800004014"),
            Map.entry("authRequest", "423ec25ba4607fb4bc8da86245353f342e20230800000001000002ed230002d190c14374d3299f97ddd776074605885f" +
                    "b6a706c7c2e1bcc163bdb435b04729c774a41ce9c3a0f4488b2d8cb4d81b399f829ffc139777b22ea54920cf3349dd8f" +
                    "a36d1e4128199fd5afe2ba1e3495db12476c6b7a66c17c8e19745602f03f455cbce757bd47712ede32e609efdce02156" +
                    "184e374d46aff5e979ad57bea65a09142ebf9ffd78f33e8318949ad6b2af4a934614a7d99f7f42439e3b80e15ebaf444" +
                    "c16ecb6c9893cff86d97b78607dec8e28c903726fb619cda508c8e3fda283c2bd8adc38c39299190fa7ff2cfb138692a" +
                    "72b64e778754fb128b57eb85f43cb1e32d5db2e29d2ceb4895968055660ca61eb7773028eba33d769a9deaeba4f0c90f" +
                    "74ab7df20b093714911b35a2ed6496e088f70f06f2b8f5f106a7ca8f701f491bf7b3d320a163e1b911e142313ea229c6" +
                    "7f0ecc7f8fc7070995ec2861786a104b7375956e59d4b9f1ce5d8bc70247f2f91781aae74ef557d5753333bf84387517" +
                    "9035f017bee2259290b4cf239a9bb1a6db940b089bc30f54616a207016eb0ca2143cad5d21b9a4d16e8da983be1ff8fa" +
                    "6e99088b1cbeb2f8af8d8b60d6b5cc27b33ad4f0fb5e3290b2dfd6e39f12df89aa2041aaef92f8cb56ab217a4b6ffd80" +
                    "1c54971735101d4dc2efcde6f9adf8f921369947f0412c820b8ff78106c5417b76826f902bf0b937d13eb97d569ce52c" +
                    "4639128d123fb3db47a0322041ffae6365bcce917ff84e22fdeb5b9b8dd8937b62d2f851600f080c243e6c57513b9f92" +
                    "e21105fa243081aea6d9952fa48f20d9f8b277de40d291f4dda647fbec34672eabe559cad7fd45ee0efae276704b808a" +
                    "1a811d26ab782d8b3de2b303f96bf8a82b9bc80d820106516d725523541e7ee0ec923915f495c6fb64ffbe8e08481c3e" +
                    "9cbc8216368e18077223dc02978473d6f3b70fb772149c62a1b69380c4a0a240662138c9831ced6dea444b5255a78eae" +
                    "83086db63131340f8982ebf50b6d694d55c13f122ae2ce3bbbebee8aa5"),
            Map.entry("authResponse", "423ec25ba4607fb4bc8da86245353f342e202320000000010000040f240003f3bf9fd413000e734a17c148524ab29bdd" +
                    "44e4ad8889e97671848661bfc854bb5266a87ae4e615f1e70d4250fffb9bcd60bdefb545a6a25010f95e89d59baa033c" +
                    "089e5ca2d6ce17c71cb9fc2abe5882c3b0672b9a37bff3364f27d571294945305b1a5bd90fa7849236d47566c498464f" +
                    "349562d90337f716d8a961067b37bec41b4fc48497ab05f6ccb80e51bb023aaebccd3f691adc28ff2f7c44023a7312e8" +
                    "deb560ea06d57a707abe7dc15468b61be4b74cf43fbf20a0f073ad56fd20510abe8c26644911af0ba1544a82ae45dec2" +
                    "44a4eeb72fc25f52df0c06bfe3b7125e904847747996be7667b293b1a5c0dc39d41973b959cdb8a35ffe89299cb919a2" +
                    "04934199aa09488698ce4741e3d65bcb6556a3992618312d779ccd0a4035b06a668531e6d06a4d9b7810bcdb00167a69" +
                    "2d3a84be0e27d93dbadf9687ed3d6f22e70bd5cb8ae9b89b2fb673b8ad59cde603404bb863e8461c15f3ca425361f6ac" +
                    "ecad05c1d56258505b7276a7a4aad4b24b0b49f5050a8cc682753dc249f1df255de5a9052dcd0b9a95d57e8f2389dc69" +
                    "ca4d375e7dfd9c6cd4a8010b36bea459b894c8dfa6120974bdf596a4e61c88bd909c953ad727ef7b08eec7e1e1ae25c0" +
                    "872be1fb5f18b446c63f0d22734c50d8d8bcac5281919a44945e402e9f5b45295f191e97f302f22aee8797155c3e485d" +
                    "c573d9335eec4ef30c0b23628a9f9e3d2624b97b676776424ccd702d2d665023edb82b2c9d20c49ab55b21f2df730998" +
                    "1418f6906b46974ad8d70d6997c64ce153359659857c2ac4a0ccd1857884c3b3ad2e93a450ec05c351a708692eb06535" +
                    "3467d9754a4898839bd087337e5dd344370a01435604c580f77adc9338060808f623d6ec008ef4f38b0122db180203c2" +
                    "4def581ca1da65b2178798305081766ba4118bf8c1462bc2620fdf3de6e49d72fb0c7811da4d8d7a21546ab722679193" +
                    "8eacd102940480391323fb98842b1099e59cd1cc42127c23b3da52d60b5ba1010963c3dd22ccfaa15dba19fe664fccc7" +
                    "3a1a00b1b6310357540cbb0746dc393c0a9bcac03e68d7b88d0cba5599fc442b2ceaef77945603954ac355588a495412" +
                    "20c65c134d438ccfe0a6545ef4f97d2250ed87ae577090dce0ddaa8da25d2627b14613638e01051cd23de76e4f0ee386" +
                    "43f6e1f25c29e1fac8f63d4c33837b4e74a58e9f4c8f3eecb5f04efffa12e35015c58bf54606282f2fae8cdbc43033dd" +
                    "3bb0da9eacde4c0e192ca0db447db868fe5e96d8927755fe16f2fefc2c60f8e55af89e0148baf548ef685a019740ee49" +
                    "81dde476232ae3b4c9901ef40fe5b4067a84726dcbdc6ae3b8296004eff9c3cbbc2a2802320fa14b1f18f7a10c67739b" +
                    "ae277a7d60cd65126b76c023d81482198b7ce6beeb92a1293613231a25a338"),
            Map.entry("sharedSecret", "4c1aa82e095a0f9812a63bcbf51cc569c6383f43dcfd1eb5a748e02230c23e3d"),
            Map.entry("skeyseed", "d3e2f076a48c6375856dea69b24ffd6df3b9b3e2cd50ba29db6b22758d29e717"),
            Map.entry("skD", "cfbf75f555c922df6ec626cd1a423cc09b5a4d7cad41c5312b8a7ada6a8304f1"),
            Map.entry("skAi", ""),
            Map.entry("skAr", ""),
            Map.entry("skEi", "072c921d5f6f4b34912fa7f0241b307df1c1f812"),
            Map.entry("skEr", "fbfb6ecc388b3ee9fa3632ee1058dc12a007d49d"),
            Map.entry("skPi", "8383880c02de4f827de1701677398c8ff46d7feb2fd4e1bc45693e952dd56222"),
            Map.entry("skPr", "02002a4cd40cf5e74d55e939b083411b115eb8529a2e2d436556770a3d3208ce"),
            Map.entry("octets", "423ec25ba4607fb400000000000000002120220800000000000000e02200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f0000817941d00fcaa7bdaff781e9d68b2117bd94e178" +
                    "35e286c1a612ccef8561295b29000024e79c1457dc1430f1550bbc6455a56db599206a963b391ca8246df7ac80af0720" +
                    "2900001c000040041586b489d89e5e9e308549d2052267f5ab89fb8e2900001c00004005a523538710e999b794ae34cd" +
                    "8e548022e143825d290000100000402f0002000300040005000000080000401630d1881f2191f4877c756587b86cde32" +
                    "465a8ddda0d0fdac9871a53d01249cb3822022c2143206cb2714197d1b29be13f47814b219e7713b11c130875829c5dc"),
            Map.entry("pskAuth", ""),
            Map.entry("childEncrI", "3885803c380481411c60bc1f036d2df004bbdac2"),
            Map.entry("childEncrR", "1638d63b17a08ca01827300313914e3f26377b53"),
            Map.entry("childIntegI", ""),
            Map.entry("childIntegR", ""),
            Map.entry("idBody", "0200000067772d612e6578616d706c65"),
            Map.entry("natdChunk", "423ec25ba4607fb4000000000000000016b4df790000"),
            Map.entry("natdHash", "1586b489d89e5e9e308549d2052267f5ab89fb8e"));

    static final String LEGACY_CA_CERT =
            "308201863082012da00302010202146f328303b0c8563e8117f3ab19d5eab56abe1f6b300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303830335a170d333631" +
            "3131393134303830335a30193117301506035504030c0e696b6520766563746f72732043413059301306072a8648ce3d" +
            "020106082a8648ce3d0301070342000480f1533438ad4fa5f570b5d58136163b6786608752ab55cca72bf7c38f9bd816" +
            "a4bc2b3001fb6e35c8a9ef50a30dc87c385568557926ae83b561f9b733408bc3a3533051301d0603551d0e04160414d6" +
            "fc588cf4661ea22ada50150b2c78bdd5ccf20f301f0603551d23041830168014d6fc588cf4661ea22ada50150b2c78bd" +
            "d5ccf20f300f0603551d130101ff040530030101ff300a06082a8648ce3d0403020347003044022011d4f34ea2f378f1" +
            "2f722ec30f50c6d587e758942f8e55ae70e4124f70794a6602201739c3ee7ab48cdbcd3bc5c134d23a22cede4dccdcf8" +
            "a1fbc053abc44034c5bc";
    static final String LEGACY_A_CERT =
            "3082019930820140a0030201020214326796dfc9e2573edf3ffb66228a8eb060b7b9b1300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303830345a170d333631" +
            "3131393134303830345a30173115301306035504030c0c67772d612e6578616d706c653059301306072a8648ce3d0201" +
            "06082a8648ce3d030107034200040a146512665e9ec1021a1a3803e6e3657d9029263a7645398b9291215708ffcbb42d" +
            "686f0a07a7877e8be00f7b3c85578e1cb74d1cbc5a90fad5c03b8c41314fa368306630170603551d110410300e820c67" +
            "772d612e6578616d706c65300b0603551d0f040403020780301d0603551d0e041604146f7358d939ec16bef29e584612" +
            "2ea1894fd8f002301f0603551d23041830168014d6fc588cf4661ea22ada50150b2c78bdd5ccf20f300a06082a8648ce" +
            "3d0403020347003044022020a8df7ca1035d6e5a9428ba8027e33794a1b61e7a441004aba603b301cbe58a0220320c26" +
            "7485f147bd8cdab096041204a20053a75227c4cb41c10bcf590533de69";
    static final String LEGACY_B_CERT =
            "308202653082020ba0030201020214326796dfc9e2573edf3ffb66228a8eb060b7b9b2300a06082a8648ce3d04030230" +
            "193117301506035504030c0e696b6520766563746f7273204341301e170d3236313132323134303830345a170d333631" +
            "3131393134303830345a30173115301306035504030c0c67772d622e6578616d706c6530820122300d06092a864886f7" +
            "0d01010105000382010f003082010a0282010100cca229db1ee09586efd0e076fcc2cf03047110bf39e1c315c0c2db62" +
            "a53e0d2dd72e858d74afcae5aca8d60d01d1a4aa6f1adaafb39e8c7cf75173a1d55727ef83d82977c7bea7fdb93d5414" +
            "7bb4e3d13cc977cb8c1384a293836c48df2c530cc16c161730db23c08069e197d77534741322245bb2feffedd934afd9" +
            "0bb4bf63d8e9074491b3e2e3350b342a335341e0007e74327ee6ad3e649b06d96fcf1c75986ea9d7d5d341275fec30f0" +
            "6e15b5e37f64ab5538e4a95d1b895e6c06733fec3b95cf98e9943d43f3e6062c27ac03b8b734cb15e9377d5d287a447c" +
            "6b8e796f0013e04ce866d8dd32e5e5c58d5ba62b8b81676fa2f7c3bed59e97bacdaac7950203010001a3683066301706" +
            "03551d110410300e820c67772d622e6578616d706c65300b0603551d0f040403020780301d0603551d0e04160414325a" +
            "33cb906fbf29dfd2a72626acd104e78878b3301f0603551d23041830168014d6fc588cf4661ea22ada50150b2c78bdd5" +
            "ccf20f300a06082a8648ce3d04030203480030450220598935a37390f939e4a7b6e545b1d7ee24398910a2b0373b7789" +
            "df40f9e97819022100d17a6a72f294c6d63fce719ef4a41e859616f173ca49eecc15f5d9e4ef68aab2";
    static final Map<String, String> LEGACY = Map.ofEntries(
            Map.entry("initRequest", "86cff9a62a650f5b00000000000000002120220800000000000000d02200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f00009fb8a813c54d59c48616369bad808ae71b38a067" +
                    "52e0d7f80b984db7758c176c290000241b2b82ddb200d12290e8d903d74f3572e8c713ef29dd107f81a3c1c7baf0bc34" +
                    "2900001c00004004b4cff1b5f736709f8f92e5a89af990b22a2606ae2900001c000040054314b47525ae6fd43a578ab6" +
                    "212de5a75227ef5b0000000800004016"),
            Map.entry("initResponse", "86cff9a62a650f5b2a07920b73a7a48d2120222000000000000000f12200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f00002b2f55f543cf0643b8a927db38a8f91984296d53" +
                    "13a2e55a852676bf7084362829000024112793d1b45dc152cbf09d434490e599be93152e7874933a753052e4952f54b8" +
                    "2900001c000040042fad914fabf982ffd7435ed60e2ba3cc58cd67ff2600001c00004005d0b1e070fefa1b5c173cad60" +
                    "aa0218c58c5ca8312900001904c58266b4e645d36215939e3dd8e1f151a7c5e8de290000080000402200000008000040" +
                    "14"),
            Map.entry("authRequest", "86cff9a62a650f5b2a07920b73a7a48d2e20230800000001000002d8230002bc8ab701a6100c75af55f4f58509d4be3c" +
                    "63633d4ec70c74b61a896726c404d305f8027a0bb212c379bb8244f63c24cf9027ccc6973f347c2dc3e65822f29d425f" +
                    "ad21259fd1733e71533d46b916426e93957d1625dbc41a9a61ea1e790e918091a1ab7d3baefb30d2463b82b862fc457c" +
                    "e9a1af448995daeb0f00f7eb2097330cedc13bbf7ce2a2db71b47504f1ab0622019100073474b56dab986392a3205c0b" +
                    "59826b12ddff946e344750616d3782c499ca171c91debeddaedf85659fd705ca89ca9a51fec0084efd80f50c5b954132" +
                    "b65d0f2cae342737c65646c967966d74f088eeb22de6a70c68a3841a170e79d6000b397468821f019ec8c5a58859b0c1" +
                    "8b390a21035a88a63c3123c3982eabd0ced2068f614554d2955639dad5dfca1b589eaff193e5c095ad3888b000654ec9" +
                    "7623126426acf1434e8ebca449c9780b8320860921905f8283478c6901f1ca5ed38125513264578e3d758eedcd4175b8" +
                    "590c3a7367f9f13c93162f6ca044be20b1e703879a8ce32436b59d7ab804a104f959ccf629cfd52eff51a51d517cb47c" +
                    "7b60561e73afd17c2b5b5cbec88c4a832f3c01516cd5b84340d9101766806a4c08df10a39b20ab5db9d86722cab5a90a" +
                    "6c404a12527de6091b02c2f8af60c6843632d971eb7bbc8a5c09c95ea77a6e808dbcf171a6c78fb2ab14e994587aa459" +
                    "2515422df8960175736b1f3cdf435373ebb0d8fc09b120af34472ea23d5f60123ce1fab57dea759b9b4954d7baaff6b7" +
                    "701cd9f24f0691333a060c5138fd07b7fd7aa5129ff3f000e71a9cf50637ab74f92bfe2a35c69950f1248a5025c565c8" +
                    "2e8c1c112dc8e744d6cd232510a3ebebb086b24d6d3eedbf84f849ab55670c90123d3d532b4070ff0f9a4fbae73d06c9" +
                    "27503a0f3cda80e20368361bc226e7fb724f4610b03490a00af7b2f24125f92a14e0b5e77e90916823733d4f7d46f80a" +
                    "34fa865b08fb932f"),
            Map.entry("authResponse", "86cff9a62a650f5b2a07920b73a7a48d2e20232000000001000003cb240003af92cea1271ad328d8aa49386c1cb1152d" +
                    "ebf004bd26fcc41501c933bc0c915e8cb0d719bf2a2c2e10e7b978663901dbf801f765e4d4ee0385905d6e28abc7d737" +
                    "85cd31a1951a21beb72d3f369541056ce53948f3f685fb61cbe60cfa3f96d4e3aba6a1d61758a16f0cc00993d66183ce" +
                    "0559c50dd40a6266771b3f2cffd0a412397d0dbc86b3f971a2844cbad4bcecb0c7206edae997376ef454a9a88cc24f83" +
                    "6b60820b63d0a9285feb8ede0593e16db469eae18753efb6fe0ba430a87830c17c8c2bc69c64ae74a72c6b95d8774afa" +
                    "16d5474cbd34e14fcee50eaf5ce3b77a5e804b365dee565b0a66b9c7ab349e6040c3af4e03590bfb7afb44912752acd1" +
                    "2d382a72811a5f5f3d7fbc00ef3f84ca19ea1de5c6af4cd248f25482dc36292670714eff7c8672abcec7e6cd18d53856" +
                    "6c03835e2d8c04dec3e5935692a54f0f66655960c58bd8bcbaea9979d5d1a9ec324bbaa70b1a2c932b0bb189e1a26767" +
                    "d5a4cd29a4ddf83aff117f4eaf6ca624b8e55ce2fc0037903a1336475bcdf5f6f459d3da9d9d2053374464780e64764e" +
                    "084899cba58b3d3d3c46111b18c51bc674102cb0ef374882c18fe01927ad07492765b18c42ed428448a07023a9999ac3" +
                    "dc3ec550547fc1d4dd556813562033d3232a197e3cff35096a211d26959d756826f243a9100760a2b47a0398a49e291a" +
                    "8574db6c1329500bd220aae8ed132f7f74640e82155b7158d1ce2786d4dc6fc7ac535f5d68287aa57aeddb8e4e2ec598" +
                    "e50f90d7450514eb4b4bcd09c1f8cac9a691b4949984c3a216559da69ab570a001c621f88b95c4507bdbde194feb512f" +
                    "ccf91bfdb57b2f51d9ba804821e7297fbe09ee7fffb9b2b7f99ebceb37b2edcb7c4ce7b18ce78caf35eeba75316032a2" +
                    "b9997cc0d2c534351969b2e4e122bf7455dd8440ec1f2d54b8bed8cd5519d3f1308bcd644af60cfb0bcea6c3b36c137c" +
                    "56fd4aa181ee815f506dab4888405733e9b00df3c1fc7c21ddc00454d1543fc4f1ba165bc9317804d697b4524b896204" +
                    "b9406a761d98f4df0c1d260fe5cd132b7feb341baab1816be0fb120c3a98e76709ea7710b66d894a72710004f7013bad" +
                    "fd55ec9b5d8cb1d8c457a54c4e9a6fd1baa5c318a3ddc8046cfebb72ee57bfe1fc8fdf945af6a814296e5ae5bfab5efd" +
                    "213f1141d10fe54e9a78d50244b0d420f4e231a91d1a9f97bb4b8071807f4d3279d9f54d3653a9cc5a41dcb6cffe7476" +
                    "09f6ca6b39bdf140bb499c34ba3448ef3c718443dfcb47cd2a99621d3cc84c7f12f02b34de59d44b50da1a3d3c5b0e3d" +
                    "4ca76b5bf33eab1f1b2054"),
            Map.entry("sharedSecret", "b05a07623a01e48b213c36f97151449226d2f5333a254a1bd8c2b44698d8bf5b"),
            Map.entry("skeyseed", "d75f9136b39fd68717adb3ae8ae9e3f926c89a046bc377068b13459c3b71dc1b"),
            Map.entry("skD", "73cc13cd41eb78382d36eefd6c92c9f00e02feb695ca8e9c446c75e8b2f86a51"),
            Map.entry("skAi", ""),
            Map.entry("skAr", ""),
            Map.entry("skEi", "006ef223fe47531a3dd8d330e9d5b658f2069027"),
            Map.entry("skEr", "38765f4b2645ab2f1d7bd49673fc937550b4e9cf"),
            Map.entry("skPi", "80e98ee9963e6da6095abdc668ecea395c7be102774267f5ec705a374fd888d9"),
            Map.entry("skPr", "e4a92f4bcfec9e3fd391ad4b5234a1e9d03a1a129c785b650cac509853c91d8b"),
            Map.entry("octets", "86cff9a62a650f5b00000000000000002120220800000000000000d02200002800000024010100030300000c01000014" +
                    "800e00800300000802000005000000080400001f28000028001f00009fb8a813c54d59c48616369bad808ae71b38a067" +
                    "52e0d7f80b984db7758c176c290000241b2b82ddb200d12290e8d903d74f3572e8c713ef29dd107f81a3c1c7baf0bc34" +
                    "2900001c00004004b4cff1b5f736709f8f92e5a89af990b22a2606ae2900001c000040054314b47525ae6fd43a578ab6" +
                    "212de5a75227ef5b0000000800004016112793d1b45dc152cbf09d434490e599be93152e7874933a753052e4952f54b8" +
                    "ac92e2d98e92d0e8faedc78aa00aa1c347cdbfb9f76857bcb34fb5ace84bfbb7"),
            Map.entry("pskAuth", ""),
            Map.entry("childEncrI", "5a76d96b311378cedf8b39969b7c0098acc5688f"),
            Map.entry("childEncrR", "422b91d4e1bf97ad8f95bb4cad4747827d34eb13"),
            Map.entry("childIntegI", ""),
            Map.entry("childIntegR", ""),
            Map.entry("idBody", "0200000067772d612e6578616d706c65"),
            Map.entry("natdChunk", "86cff9a62a650f5b00000000000000001a93fb190000"),
            Map.entry("natdHash", "b4cff1b5f736709f8f92e5a89af990b22a2606ae"));
    /** Body (after the 4-byte generic header) of the first payload of the given type in a payload chain. */
    private static byte[] payloadBody(byte[] b, int pos, int firstType, int wanted) {
        int type = firstType;
        while (type != 0 && pos + 4 <= b.length) {
            int len = Bytes.u16(b, pos + 2);
            if (type == wanted) return Arrays.copyOfRange(b, pos + 4, pos + len);
            type = b[pos] & 0xff;
            pos += len;
        }
        throw new AssertionError("payload " + wanted + " not found");
    }

    private static byte[] hex(Map<String, String> v, String k) { return Bytes.fromHex(v.get(k)); }

    /** One direction of IKE_AUTH: decrypts it, validates its certificate for the FQDN identity, and returns the
     *  peer's key, the AUTH method and data, and the ID payload body. */
    private record Auth(PublicKey key, int method, byte[] data, byte[] idBody) {}

    private static Auth open(byte[] message, byte[] skE, int idType, String fqdn, String caHex, String eeHex) throws Exception {
        SkCipher sk = new SkCipher(EncryptionAlgorithm.AES_GCM_128, IntegrityAlgorithm.NONE, skE, new byte[0]);
        byte[] inner = sk.open(Arrays.copyOf(message, 32), Arrays.copyOfRange(message, 32, message.length));
        byte[] cert = payloadBody(inner, 0, message[28], CERT);
        assertEquals(4, cert[0], "X.509 Certificate - Signature");
        X509Certificate ee = CertificateValidator.parseCertificate(Arrays.copyOfRange(cert, 1, cert.length));
        assertArrayEquals(Bytes.fromHex(eeHex), ee.getEncoded());
        X509Certificate ca = CertificateValidator.parseCertificate(Bytes.fromHex(caHex));
        Instant during = ee.getNotBefore().toInstant().plusSeconds(3600);
        PublicKey key = new CertificateValidator(List.of(ca)).validate(List.of(ee), CertificateValidator.ID_FQDN,
                fqdn.getBytes(StandardCharsets.US_ASCII), during);
        byte[] auth = payloadBody(inner, 0, message[28], AUTH);
        return new Auth(key, auth[0] & 0xff, Arrays.copyOfRange(auth, 4, auth.length), payloadBody(inner, 0, message[28], idType));
    }

    private static void assertStrongSwanSignaturesVerify(Map<String, String> v, String caHex, String aHex, String bHex,
                                                         int initiatorMethod, int responderMethod) throws Exception {
        byte[] initReq = hex(v, "initRequest"), initResp = hex(v, "initResponse");
        byte[] ni = payloadBody(initReq, 28, initReq[16], NONCE), nr = payloadBody(initResp, 28, initResp[16], NONCE);
        IkeSaKeys k = IkeKeyDerivation.derive(Prf.HMAC_SHA2_256, ni, nr, hex(v, "sharedSecret"), Bytes.i64(initReq, 0),
                Bytes.i64(initResp, 8), 20, 0);
        assertArrayEquals(hex(v, "skEi"), k.skEi());

        Auth i = open(hex(v, "authRequest"), k.skEi(), IDI, "gw-a.example", caHex, aHex);
        assertEquals(initiatorMethod, i.method());
        byte[] octetsI = IkeAuthentication.signedOctets(initReq, nr, Prf.HMAC_SHA2_256, k.skPi(), i.idBody());
        assertTrue(IkeAuthentication.verify(i.key(), i.method(), i.data(), octetsI, ALL), "initiator signature");
        assertFalse(IkeAuthentication.verify(i.key(), i.method(), i.data(),
                IkeAuthentication.signedOctets(initReq, ni, Prf.HMAC_SHA2_256, k.skPi(), i.idBody()), ALL), "wrong nonce");

        Auth r = open(hex(v, "authResponse"), k.skEr(), IDR, "gw-b.example", caHex, bHex);
        assertEquals(responderMethod, r.method());
        byte[] octetsR = IkeAuthentication.signedOctets(initResp, ni, Prf.HMAC_SHA2_256, k.skPr(), r.idBody());
        assertTrue(IkeAuthentication.verify(r.key(), r.method(), r.data(), octetsR, ALL), "responder signature");
        // Each key verifies only its own peer's signature.
        assertThrows(IkeCryptoException.class, () -> IkeAuthentication.verify(r.key(), i.method(), i.data(), octetsI, ALL));
    }

    @Test
    void verifiesStrongSwansRfc7427EcdsaAndRsaPssSignatures() throws Exception {
        assertStrongSwanSignaturesVerify(RFC7427, RFC7427_CA_CERT, RFC7427_A_CERT, RFC7427_B_CERT, 14, 14);
        // And identifies the schemes strongSwan chose.
        Auth i = open(hex(RFC7427, "authRequest"), hex(RFC7427, "skEi"), IDI, "gw-a.example", RFC7427_CA_CERT, RFC7427_A_CERT);
        assertSame(SignatureScheme.ECDSA_SHA256, IkeAuthentication.parseAlgorithmIdentifier(Arrays.copyOfRange(i.data(), 1, 1 + i.data()[0])));
        Auth r = open(hex(RFC7427, "authResponse"), hex(RFC7427, "skEr"), IDR, "gw-b.example", RFC7427_CA_CERT, RFC7427_B_CERT);
        assertSame(SignatureScheme.RSA_PSS_SHA256, IkeAuthentication.parseAlgorithmIdentifier(Arrays.copyOfRange(r.data(), 1, 1 + r.data()[0])));
    }

    @Test
    void verifiesStrongSwansLegacyEcdsa256AndRsaSignatures() throws Exception {
        assertStrongSwanSignaturesVerify(LEGACY, LEGACY_CA_CERT, LEGACY_A_CERT, LEGACY_B_CERT,
                IkeAuthentication.AUTH_ECDSA_256, IkeAuthentication.AUTH_RSA);
    }
}
