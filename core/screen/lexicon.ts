/**
 * The words that announce an identifier, by what follows them, in the languages the project
 * serves (en, de, fr, es, it, nl, sv, pl, pt). Each entry is a regular-expression source matched
 * case-insensitively on the normalised text without the `u` flag (so accented letters are written
 * out: [ée]); the screen compiles all of them into one alternation and reads the text once.
 * A label here only opens a reading: what follows must look like the identifier it announces
 * (a code with digits, a date, a name), so a common word ("order", "visit", "plate") is harmless.
 */

/** What a label announces; the rules read the value after it accordingly. */
export type LabelRole =
  | 'name' // a name, even in lower case
  | 'patient' // a name in capitals, or after an age and sex description
  | 'honorific' // the label is part of the name: "Mrs Hale", "Baby Lopez"
  | 'birth' // a full date (or a year) of birth
  | 'event' // a full date of admission, discharge or death
  | 'record_number'
  | 'national_id'
  | 'health_plan_id'
  | 'account_number'
  | 'license_number'
  | 'vehicle_id'
  | 'device_id'
  | 'weak_id' // a bare "ID", "No.", "Ref": a code with more digits than a study code has
  | 'phone'
  | 'email'
  | 'address' // the rest of the line
  | 'postcode'
  | 'pobox'
  | 'url'
  | 'age' // "62 yo": a name-shaped pair right beside it is a patient's
  | 'street' // "12 Baker Street": the house number and the capitalised words before it
  | 'street_prefix' // "12 rue de la Paix", "Via Roma 8"
  | 'flat' // "Flat 3, Rose Court"

// number words that follow a label: "MRN no.", "Patient ID #", "Versicherten-Nr."
const no = String.raw`(?:[\s.-]*(?:no\.?|nr\.?|nbr\.?|num(?:ber|[ée]ro|ero)?\.?|n[°ºo]\.?|#|id|code|nummer|numer))?`

export const labels: Record<LabelRole, string[]> = {
  name: [
    String.raw`(?:patient(?:'s|s)?|pt\.?|pat\.?)\s*(?:full\s*)?name`,
    String.raw`(?:full|last|family|maiden|first|given|christian|middle)\s*names?`,
    'names?',
    'surname',
    'forenames?',
    'name\\s+of\\s+(?:the\\s+)?patient',
    // de
    'patient(?:inn)?enname',
    'nachname',
    'vorname',
    'familienname',
    'geburtsname',
    // fr
    String.raw`nom(?:\s+(?:du\s+patient|de\s+famille|de\s+naissance|d'usage|complet))?`,
    'pr[ée]noms?',
    // nl
    'naam(?:\\s+pati[ëe]nte?)?',
    'name\\s+des\\s+patienten',
    'achternaam',
    'voornaam',
    'roepnaam',
    'geslachtsnaam',
    // es
    'nombre(?:\\s+y\\s+apellidos?|\\s+completo|\\s+del\\s+paciente)?',
    'apellidos?',
    // it
    'cognome',
    String.raw`nome(?:\s+(?:e\s+cognome|completo|do\s+paciente|del\s+paziente))?`,
    // pt
    'sobrenome',
    'apelido',
    // sv
    'namn',
    'efternamn',
    'f[öo]rnamn',
    'tilltalsnamn',
    // pl
    'imi[ęe](?:\\s+i\\s+nazwisko)?',
    'nazwisko',
  ],
  patient: [
    'patient',
    'pat\\.?',
    'pt\\.?',
    'patientin',
    'patiente?',
    'pati[ëe]nte?',
    'paciente',
    'paziente',
    'utente',
    'pacjent(?:ka)?',
    'client',
    'subject',
    're',
    'betreft',
    'objet',
    'oggetto',
    'asunto',
    'assunto',
    'dotyczy',
    'ang[åa]ende',
  ],
  honorific: [
    'mr',
    'mrs',
    'ms',
    'mx',
    'miss',
    'mister',
    'master',
    'madam',
    'dame',
    'herr',
    'frau',
    'hr\\.',
    'fr\\.',
    'don',
    'fr[äa]ulein',
    'mme',
    'mlle',
    'madame',
    'mademoiselle',
    'monsieur',
    'dhr',
    'mevr',
    'mevrouw',
    'meneer',
    'de\\s+heer',
    'mw',
    'sr',
    'sra',
    'srta',
    'se[ñn]or(?:a|ita)?',
    'do[ñn]a',
    'sig(?:\\.\\s?ra|\\.\\s?na|\\.a)?',
    'signor(?:a|ina)?',
    'pan(?:i)?',
    'fru',
    'fr[öo]ken',
    'senhor(?:a)?',
    'dona',
    // children: "Baby Lopez", "Baby boy Lopez", "Infant of Maria Lopez"
    'baby',
    'infant',
    'newborn',
    'neonate',
    'twin',
    'b[ée]b[ée]',
    'bambin[oa]',
    'neonat[oa]',
    'reci[ée]n\\s+nacid[oa]',
    'rec[ée]m-nascid[oa]',
    'noworodek',
    'nyf[öo]dd',
    'pasgeborene',
    'neugeborene[sr]?',
  ],
  birth: [
    'birth',
    String.raw`d\.?\s?o\.?\s?b\.?`,
    'date\\s+of\\s+birth',
    'birth\\s*date',
    'birthday',
    'born(?:\\s+on)?',
    'b\\.',
    'b\\.\\s?d\\.',
    String.raw`geb(?:urtsdatum|urtstag|\.?\s?-?datum|oren(?:\s+am|\s+op)?|\.)?`,
    String.raw`n[ée]\(?e?\)?(?:\s+le)?`,
    'date\\s+de\\s+naissance',
    String.raw`date\s+(?:de\s+)?naiss\.?`,
    'ddn',
    'geboortedatum',
    'fecha\\s+(?:de\\s+)?nacimiento',
    String.raw`f\.\s?(?:de\s+)?n(?:ac)?\.`,
    String.raw`fec(?:ha)?\.?\s?(?:de\s+)?nac\.?`,
    'nacid[oa](?:\\s+el)?',
    'data\\s+di\\s+nascita',
    'nat[oa](?:\\s+il)?',
    String.raw`d\.\s?n\.`,
    'data\\s+(?:de\\s+)?nascimento',
    String.raw`data\s+(?:de\s+)?nasc\.?`,
    'nascid[oa](?:\\s+em)?',
    String.raw`d\.?\s?nasc\.?`,
    'data\\s+urodzenia',
    'ur\\.',
    'urodzon[ya]',
    'f[öo]delsedatum',
    'f[öo]dd(?:\\s+den)?',
    'f[öo]d\\.',
  ],
  event: [
    'date\\s+of\\s+(?:admission|discharge|death|decease)',
    '(?:admission|discharge|death)\\s+date',
    'admitted(?:\\s+on)?',
    'discharged(?:\\s+on)?',
    'died(?:\\s+on)?',
    'deceased(?:\\s+on)?',
    String.raw`d\.o\.d\.?`,
    'dod',
    'aufnahme(?:datum|\\s+am)',
    'entlass(?:ungsdatum|en\\s+am)',
    'sterbedatum',
    'todesdatum',
    'verstorben\\s+am',
    "date\\s+d'(?:admission|entr[ée]e|hospitalisation)",
    'date\\s+de\\s+(?:sortie|d[ée]c[èe]s)',
    'd[ée]c[ée]d[ée]e?\\s+le',
    'opnamedatum',
    'ontslagdatum',
    'overleden\\s+op',
    'fecha\\s+de\\s+(?:ingreso|alta|defunci[óo]n|fallecimiento)',
    'data\\s+(?:di|del)\\s+(?:ricovero|dimissione|morte|decesso)',
    'data\\s+(?:de|da|do)\\s+(?:admiss[ãa]o|internamento|alta|[óo]bito)',
    'data\\s+(?:przyj[ęe]cia|wypisu|zgonu)',
    'inskrivningsdatum',
    'utskrivningsdatum',
    'd[öo]dsdatum',
  ],
  record_number: [
    String.raw`m\.?\s?r\.?\s?n\.?`,
    String.raw`mr\s*(?:#|no\.?|nr\.?|number)`,
    '(?:medical|health|hospital)\\s+record',
    String.raw`med(?:ical)?\.?\s*rec(?:ord)?\.?\s*(?:#|no\.?|nr\.?|number)?`,
    `hosp(?:ital)?\\.?${no}`,
    String.raw`pat(?:ient)?\.?\s?-?\s?(?:id|no\.?|nr\.?|number|#|num[ée]ro)`,
    String.raw`p\.?i\.?d\.?`,
    `(?:unit|ur|chart|case|record|file|client|visit|admission|encounter|exam(?:ination)?|request|referral|specimen)\\s*(?:#|no\\.?|nr\\.?|number|id)`,
    'urn',
    'chart',
    'episode',
    'encounter',
    'visit',
    `acc(?:ession)?\\.?${no}`,
    `order${no}`,
    `requisition${no}`,
    String.raw`req\.?\s*(?:#|no\.?|number|id)`,
    'study\\s*(?:instance\\s*)?uid',
    'uid',
    // de
    'patient(?:en|innen)?(?:nummer|-?nr\\.?|-?id)',
    String.raw`pat\.?-?\s?nr\.?`,
    'fall(?:nummer|-?nr\\.?|-?id)',
    '(?:auftrags|anforderungs|untersuchungs|befund|aufnahme|kranken(?:haus|blatt))(?:nummer|-?nr\\.?)',
    // fr
    `n[°ºo]?\\s*(?:de\\s+)?dossier`,
    `n[°ºo]\\.?\\s*(?:de\\s+|do\\s+)?(?:demande|s[ée]jour|venue|examen|patient|historia|epis[óo]dio|episodio|processo|pedido|petici[óo]n)`,
    `num[ée]ro\\s+(?:de\\s+)?(?:dossier|s[ée]jour|venue|demande|examen|patient)`,
    'dossier',
    'ipp',
    'nip',
    'nda',
    'identifiant',
    // nl
    '(?:pati[ëe]nt|ziekenhuis|opname|aanvraag|order|onderzoeks)(?:nummer|-?nr\\.?|-?id)',
    'z-?nummer',
    // es
    `n[uú]mero\\s+de\\s+(?:historia|pedido|petici[óo]n|episodio|estudio|solicitud)`,
    'historia\\s+cl[íi]nica',
    'episodio',
    'epis[óo]dio',
    String.raw`n\.?\s?h\.?\s?c\.?`,
    // it
    `numero\\s+(?:di\\s+)?(?:cartella|accettazione|ricovero|richiesta|impegnativa|esame|nosologico|paziente)`,
    'cartella(?:\\s+clinica)?',
    'nosologico',
    // pt
    `n[uú]mero\\s+(?:de\\s+|do\\s+)?(?:processo|epis[óo]dio|requisi[çc][ãa]o|exame)`,
    `n[ºo°]\\.?\\s*(?:de\\s+|do\\s+)?processo`,
    'processo',
    // sv
    '(?:journal|patient|remiss|best[äa]llnings|unders[öo]knings)(?:nummer|-?nr\\.?)',
    'v[åa]rdtillf[äa]lle',
    // pl
    String.raw`(?:numer|nr\.?)\s+(?:historii(?:\s+choroby)?|badania|zlecenia|skierowania|pacjenta|ksi[ęe]gi(?:\s+g[łl][óo]wnej)?|karty)`,
    'id\\s+pacjenta',
  ],
  national_id: [
    'ssn',
    String.raw`s\.s\.n\.?`,
    `social\\s+security${no}`,
    String.raw`soc\.?\s?sec\.?${no}`,
    `nhs${no}`,
    `chi${no}`,
    'bsn',
    'burgerservicenummer',
    'sofi-?nummer',
    'nir',
    'insee',
    String.raw`n[°ºo]?\s*(?:de\s+)?s[ée]cu(?:rit[ée]\s+sociale)?`,
    's[ée]curit[ée]\\s+sociale',
    'codice\\s+fiscale',
    String.raw`c\.f\.`,
    'dni',
    'nie',
    String.raw`n\.?i\.?f\.?`,
    'cpf',
    'nif',
    'pesel',
    'personnummer',
    String.raw`personnr\.?`,
    'pnr',
    String.raw`pers\.?\s?nr\.?`,
    'samordningsnummer',
    'ahv(?:-?nr\\.?)?',
    'avs',
    'sozialversicherungs(?:nummer|-?nr\\.?)',
    'sv-?nr\\.?',
    'steuer-?id',
    'identifikationsnummer',
    `national\\s*(?:id(?:entity)?|insurance|identification)${no}`,
    `ni${no}`,
    'nino',
    'ppsn?',
    'ihi',
    `(?:id|identity)\\s*card${no}`,
    'personalausweis(?:nummer)?',
    'ausweis(?:nummer|-?nr\\.?)',
    "carte\\s+d'identit[ée]",
    "carta\\s+d'identit[àa]",
    'documento\\s+(?:nacional\\s+)?(?:de\\s+)?identi(?:dad|ficaci[óo]n|t[àa])',
    'c[ée]dula',
    `passport${no}`,
    'reisepass(?:nummer)?',
    'passeport',
    'pasaporte',
    'passaporto',
    'paspoort',
    'paszport',
    'passnummer',
    'dow[óo]d(?:\\s+osobisty)?',
    'cart[ãa]o\\s+de\\s+cidad[ãa]o',
    'bilhete\\s+de\\s+identidade',
    'id-?kort',
    'id-?kaart',
    'identiteitskaart',
  ],
  health_plan_id: [
    `(?:health\\s*)?insurance${no}`,
    'insurer',
    String.raw`ins\.?\s*(?:#|no\.?|id)`,
    `policy${no}`,
    `member(?:ship)?\\s*(?:id|no\\.?|number|#)`,
    `subscriber${no}`,
    'group\\s*(?:#|no\\.?|number)',
    `beneficiary${no}`,
    `medicare${no}`,
    `medicaid${no}`,
    'mbi',
    'hicn',
    `health\\s*(?:plan|card)${no}`,
    'ohip',
    'phn',
    'kvnr',
    'krankenversicherten(?:nummer|-?nr\\.?)',
    'versicherten(?:nummer|-?nr\\.?|-?id)',
    'versicherungs(?:nummer|-?nr\\.?)',
    'kassen-?nr\\.?',
    'krankenkasse',
    'carte\\s+vitale',
    'mutuelle',
    String.raw`n[°ºo]?\s*(?:d')?(?:assur[ée]|adh[ée]rent)`,
    'tessera\\s+sanitaria',
    'codice\\s+sanitario',
    'tarjeta\\s+sanitaria',
    `n[uú]mero\\s+de\\s+(?:afiliaci[óo]n|(?:la\\s+)?seguridad\\s+social|tarjeta|p[óo]liza|beneficiario|utente|cart[ãa]o|segurado)`,
    'cip',
    'nss',
    String.raw`n[°ºo]\.?\s*s\.?\s?s\.?`,
    'sns',
    'n[uú]mero\\s+de\\s+utente',
    'n[°ºo]\\.?\\s*(?:de\\s+)?utente',
    'cart[ãa]o\\s+(?:de\\s+)?sa[úu]de',
    'zorgverzekeraar',
    'polisnummer',
    'verzekerings(?:nummer|-?nr\\.?)',
    'relatienummer',
    'nfz',
    String.raw`(?:numer|nr\.?)\s+ubezpieczenia`,
    'ubezpieczenie',
    'f[öo]rs[äa]kring(?:snummer|snr\\.?)?',
  ],
  account_number: [
    `account${no}`,
    String.raw`acct\.?${no}`,
    'a/c',
    `billing${no}`,
    `invoice${no}`,
    'guarantor',
    'iban',
    'konto(?:nummer|-?nr\\.?)?',
    'rechnungs(?:nummer|-?nr\\.?)',
    'num[ée]ro\\s+de\\s+(?:compte|facture)',
    'numero\\s+(?:di\\s+)?(?:conto|fattura)',
    'n[uú]mero\\s+de\\s+(?:cuenta|factura)',
    'n[uú]mero\\s+(?:da\\s+)?(?:conta|fatura)',
    'factuurnummer',
    'rekeningnummer',
    String.raw`(?:numer|nr\.?)\s+(?:konta|rachunku|faktury)`,
    'kontonummer',
    'fakturanummer',
  ],
  license_number: [
    `(?:driver'?s?\\s+)?licen[cs]e${no}`,
    `certificate${no}`,
    String.raw`cert\.?\s*(?:#|no\.?)`,
    `permit${no}`,
    'f[üu]hrerschein(?:nummer|-?nr\\.?)?',
    'zertifikat(?:snummer)?',
    'permis(?:\\s+de\\s+conduire)?',
    'certificat',
    'patente(?:\\s+di\\s+guida)?',
    'certificato',
    'carn[ée]t?\\s+de\\s+conducir',
    'licencia',
    'certificado',
    'carta\\s+de\\s+condu[çc][ãa]o',
    'rijbewijs(?:nummer)?',
    'praw[oa]\\s+jazdy',
    'k[öo]rkort(?:snummer)?',
  ],
  vehicle_id: [
    `(?:licen[cs]e|number|registration)\\s+plate${no}`,
    `plate${no}`,
    `(?:vehicle\\s+)?registration${no}`,
    String.raw`reg\.?\s*(?:no\.?|number|plate|mark)`,
    `vehicle\\s+reg(?:istration)?\\.?${no}`,
    `vehicle${no}`,
    'vin',
    'kfz-?kennzeichen',
    'kennzeichen',
    'fahrgestellnummer',
    'immatriculation',
    "plaque(?:\\s+d'immatriculation)?",
    'targa',
    'telaio',
    'matr[íi]cula',
    'bastidor',
    'kenteken',
    'chassisnummer',
    'numer\\s+rejestracyjny',
    'registreringsnummer',
    'regnr',
  ],
  device_id: [
    `serial${no}`,
    's/n',
    'sn',
    String.raw`ser\.?\s*-?\s*(?:#|no\.?|nr\.?)`,
    'implantat(?:-?id|-?nr\\.?|nummer)',
    `lot${no}`,
    `batch\\s*(?:#|no\\.?|nr\\.?|number)`,
    'udi',
    'unique\\s+device\\s+id(?:entifier)?',
    `(?:device|implant|pacemaker|icd|generator|lead|stent|valve|prosthesis)\\s*(?:id|serial|lot|no\\.?|number|#)`,
    'seriennummer',
    String.raw`seri(?:en)?-?nr\.?`,
    'chargen?(?:nummer|-?nr\\.?)?',
    String.raw`n[°ºo]\s*(?:de\s+)?(?:s[ée]rie|lot)`,
    'num[ée]ro\\s+de\\s+(?:s[ée]rie|lot)',
    'numero\\s+(?:di\\s+)?(?:serie|lotto)',
    'matricola',
    'lotto',
    'n[uú]mero\\s+de\\s+(?:s[ée]rie|lote)',
    'lote',
    'serienummer',
    'partijnummer',
    String.raw`(?:numer|nr\.?)\s+(?:seryjny|serii|partii)`,
    'serienr\\.?',
    'tillverkningsnummer',
    'batchnummer',
  ],
  weak_id: [
    'id',
    'no\\.',
    'nr\\.',
    'ref(?:erence)?\\s*(?:#|no\\.?)?',
    'ref\\.',
    // research codes ("Study ID: CMR-0042") have fewer digits than a hospital's numbers
    `(?:study|subject|report|participant)\\s*(?:#|no\\.?|nr\\.?|number|id)`,
  ],
  phone: [
    'tel(?:ephone|\\.)?',
    String.raw`tel\.?\s*kom\.?`,
    'tfno?',
    'tlf',
    'phone',
    'ph',
    'mobile',
    'mob',
    'cell(?:phone)?',
    'fax',
    'telefax',
    'contact(?:\\s+(?:no|number|tel|phone))?',
    'pager',
    'bleep',
    'telefon(?:nummer)?',
    'handy',
    'mobil(?:telefon|nummer)?',
    't[ée]l[ée]phone',
    't[ée]l',
    'portable',
    't[ée]l[ée]copie',
    'telefoon(?:nummer)?',
    'telefone',
    'mobiel',
    'tel[ée]fono',
    'm[óo]vil',
    'celular',
    'telem[óo]vel',
    'cellulare',
    'kom[óo]rka',
    String.raw`(?:numer|nr\.?)\s+tel(?:efonu|\.)?`,
  ],
  email: [
    'e-?mail',
    'mail',
    'courriel',
    'correo(?:\\s+electr[óo]nico)?',
    'posta\\s+elettronica',
    'e-?post',
  ],
  address: [
    '(?:home\\s+|street\\s+|postal\\s+)?address',
    'addr\\.?',
    'residence',
    '(?:resides|resident|lives|living)\\s+(?:at|in)',
    'adresse',
    'anschrift',
    'wohnort',
    'wohnhaft(?:\\s+in)?',
    'domicile',
    'domicili[ée]e?(?:\\s+[àa])?',
    'demeurant(?:\\s+[àa])?',
    'adres',
    'woonadres',
    'woonplaats',
    'direcci[óo]n',
    'domicilio',
    'indirizzo',
    'residente(?:\\s+(?:in|a|em|en))?',
    'residenza',
    'endere[çc]o',
    'morada',
    'resid[êe]ncia',
    'zamieszka[łl]a?y?',
    'adres\\s+zamieszkania',
    'adress',
    'bostadsadress',
    'gatuadress',
    'bor\\s+p[åa]',
    // the town: a place smaller than a state
    'city',
    'town',
    'ville',
    'ort',
    'stadt',
    'ciudad',
    'localidad',
    'citt[àa]',
    'comune',
    'plaats',
    'stad',
    'ort',
    'miasto',
    'miejscowo[śs][ćc]',
    'cidade',
    'localidade',
    'county',
  ],
  postcode: [
    'post\\s?code',
    'postal\\s+code',
    'zip(?:\\s?code)?',
    'plz',
    'postleitzahl',
    'code\\s+postal',
    String.raw`c\.p\.`,
    'cap',
    String.raw`c\.a\.p\.`,
    'c[óo]digo\\s+postal',
    'kod\\s+pocztowy',
    'postnummer',
    'postnr\\.?',
  ],
  pobox: [
    String.raw`p\.?\s?o\.?\s?box`,
    'post\\s+office\\s+box',
    'postfach',
    'bo[îi]te\\s+postale',
    'apartado(?:\\s+de\\s+correos)?',
    'casella\\s+postale',
    'postbus',
    'skrytka\\s+pocztowa',
    'caixa\\s+postal',
    'box',
  ],
  url: ['https?://', 'ftp://', 'www\\.'],
  age: [
    'y/o',
    'yo',
    'yrs?',
    'years?(?:\\s+|-)old',
    'year-old',
    'j[äa]hrige[rn]?',
    'jahre',
    'ans',
    'a[ñn]os',
    'anni',
    'anos',
    'jaar',
    '[åa]r',
    'lat',
    'letni[ae]?',
  ],
  street: [
    'street|st|road|rd|avenue|ave|lane|ln|drive|boulevard|blvd|way|close|court|ct|place|terrace|crescent|cres|square|sq|highway|hwy|parkway|pkwy|mews|grove|gardens|row|walk|hill',
  ],
  street_prefix: [
    'rue|av\\.|avenue|boulevard|place|route|bd|chemin|all[ée]e|impasse|quai|calle|avenida|paseo|plaza|camino|carrer|via|viale|piazza|corso|vicolo|largo|rua|travessa|pra[çc]a|estrada|ul\\.|ulica|aleja|osiedle',
  ],
  flat: [
    'flat|apt\\.?|apartment|suite|wohnung|whg\\.|appartement|appt\\.?|appartamento|piso|apartamento|mieszkanie|l[äa]genhet',
  ],
}

/** Street-type endings of compound street names ("Hauptstraße 12", "Storgatan 5"). */
export const streetSuffixes =
  'stra(?:ß|ss?)e|str\\.|gasse|allee|platz|weg|straat|laan|plein|gracht|kade|singel|gatan|v[äa]gen|gr[äa]nd|torget'

/** Honorifics that are also clinical words in capitals ("MR", "MS"), or words in lower case. */
export const ambiguousHonorifics = new Set([
  'mr',
  'ms',
  'sr',
  'mx',
  'dame',
  'master',
  'twin',
  'don',
])

/**
 * Capitalised words that head lines and sit beside commas in reports without being names: the
 * report's own vocabulary in the languages served. A name-shaped pair made of one of these is not
 * a name.
 */
export const reportWords = new Set(
  `impression findings finding conclusion conclusions history indication indications technique
  comparison comment comments summary report reports result results clinical diagnosis opinion
  recommendation recommendations procedure protocol sequences measurements volumes function
  befund befunde beurteilung anamnese fragestellung technik untersuchung indikation vergleich
  conclusie bevindingen verslag onderzoek indicatie vergelijking conclusione risultati referto
  esame indicazione tecnica hallazgos impresion impresión informe estudio indicacion indicación
  tecnica técnica resultats résultats conclusion compte rendu examen indication achados laudo
  exame conclusão conclusao impressão relatório fynd bedömning undersökning utlåtande
  frågeställning wynik opis badanie wnioski rozpoznanie skierowanie
  note notes addendum study exam examination scan imaging radiology radiograph radiography
  mri cmr lge ecv lvef rvef lvot rvot ssfp tapse mapse pet ct bnp ecg ekg hcm dcm arvc irm rm rmn
  magnetic resonance cardiac cardiovascular heart lung lungs chest thorax thoracic abdomen pelvis
  spine brain bone bones skeletal whole body left right ventricle ventricular atrium atrial
  normal abnormal mild moderate severe none negative positive stable unchanged new old
  with and of the in on at no to for from by or as a an is are was were be
  mild moderate severe trace trivial small large single multiple
  linker linke rechter rechte herz lunge thorax gauche droite coeur cœur poumon
  izquierdo derecho corazón corazon pulmón pulmon sinistro destro cuore polmone
  links rechts hart long esquerdo direito coração coracao pulmão pulmao vänster höger hjärta
  lewy prawy serce płuco
  value values range ranges deviation reference parameter parameters measurement measured item items
  field fields column columns row rows table group analysis export exported version software csv tsv
  xml html json hl7 fhir dicom sr database record records worksheet viewer
  date time site hospital clinic centre center department dept ward unit service radiologist
  referrer referring physician doctor consultant reporter reported signed verified dictated
  siemens philips ge toshiba canon hitachi magnetom ingenia achieva signa vantage aera skyra
  vida prisma avanto sola artis optima discovery revolution somatom definition force
  gadovist dotarem magnevist prohance multihance clariscan omniscan gadobutrol gadoterate
  aspirin metoprolol bisoprolol ramipril furosemide warfarin apixaban rivaroxaban atorvastatin
  ml mm cm ms bpm mmhg kg mg m2 l/min
  patient patients known follow up followup since after before prior previous last next first
  second third history status post pre reason details information data request referral question
  background presentation presenting symptoms symptom pain dyspnoea dyspnea chest fever cough
  male female man woman boy girl adult child infant
  university college institute institut klinikum klinik hôpital hopital ospedale clinica
  ziekenhuis sjukhus szpital centro medical health trust nhs foundation universitäts
  universitair university's general royal saint st memorial regional county city district
  units unit pixels slices slice series phase phases segment segments septal lateral inferior
  anterior posterior basal mid apical apex wall walls native post-contrast contrast
  einheiten unités unità unidades eenheden
  cardiology radiology outpatients inpatients outpatient inpatient emergency department x-ray
  xray thorax tórax torace toraks radiografía radiografia radiographie röntgen rtg lungröntgen
  klatki piersiowej liggend staand portable ap pa lateral frontal erect supine upright view views
  lateraal latéral laterale seitlich stehend liegend bedside decubitus oncology oncologie
  oncologia onkologie follow-up staging restaging bone scintigraphy scan scintigrafia tc tac tdm
  mrt irm rmn risonanza resonancia ressonância magnetica magnética magnétique magnetresonanz
  kardio cardio cardiaque cardiaca cardíaca herzens hjärt serca kardiologie cardiologie
  cardiologia kardiologi
  ptx pnx copd chf cad cabg pci ards ild ipf uip nsip hrct cxr ctpa pe dvt icd crt ppm picc cvc ngt
  ett ij svc ivc ra la rv lv av mv tv pv lad lcx rca pda om ef sv co ci edv esv lge stir haste
  eponyms kerley hampton westermark fleischner morgagni bochdalek swan ganz swan-ganz dobbhoff
  pancoast hodgkin paget schmorl baker takotsubo fontan glenn blalock taussig fallot ebstein
  marfan loeys dietz fabry danon pompe chagas kawasaki brugada wolff barlow lambl eustachian
  thebesian chiari valsalva simpson teichholz bazett agatston nyha killip framingham wells
  geneva louise lake dallas mayo duke wilms ewing kaposi hurthle hurler gaucher crohn sjögren
  sjogren wegener churg strauss behçet behcet takayasu loeffler löffler libman sacks dressler
  figure fig table section chapter series image images slice slices version weeks days months
  years items
  stemi nstemi acs tia cva htn copd ckd afib aflutter svt lbbb rbbb pvc pvcs tavi tavr savr mvr
  avr asd vsd pfo hocm lvh rvh pah cteph dlco fev fvc egfr crp hba1c ldl hdl ntprobnp troponin
  adenosine regadenoson dobutamine
  dr prof doctor dott doktor docteur médico medico arts lekarz läkare
  kussmaul beck virchow hounsfield bosniak lugano recist pet-ct mibg spect dexa`.split(/\s+/),
)
