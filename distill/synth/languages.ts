/**
 * Field labels and section words in seven languages, as CMR reports write them: full terms,
 * local abbreviations (FEVG, VTD, HZV), and the English abbreviations many sites keep whatever
 * their language. The compositional generator draws labels from here.
 */
import { P, type R } from './printer.ts'

export const languages = ['en', 'de', 'nl', 'fr', 'it', 'es', 'pt'] as const
export type Language = (typeof languages)[number]

interface Lexicon {
  /** Quantity before chamber ("fraction d'éjection VG") rather than after. */
  quantityFirst: boolean
  chamber: Record<'LV' | 'RV' | 'LA' | 'RA', string[]>
  quantity: Record<string, string[]>
  index: string[]
  fixed: Record<string, string[]>
  sections: Record<
    'patient' | 'lv' | 'rv' | 'atria' | 'tissue' | 'findings' | 'impression',
    string[]
  >
  table: { parameter: string[]; value: string[]; unit: string[]; normal: string[]; prior: string[] }
  prior: string[]
  echo: string[]
  aorta: string[]
}

const en: Lexicon = {
  quantityFirst: false,
  chamber: {
    LV: ['LV', 'Left ventricular', 'Left ventricle', 'L ventricle'],
    RV: ['RV', 'Right ventricular', 'Right ventricle'],
    LA: ['LA', 'Left atrial', 'Left atrium'],
    RA: ['RA', 'Right atrial', 'Right atrium'],
  },
  quantity: {
    EDV: ['end-diastolic volume', 'EDV', 'end diastolic volume', 'ED volume', 'diastolic volume'],
    ESV: ['end-systolic volume', 'ESV', 'end systolic volume', 'ES volume', 'systolic volume'],
    SV: ['stroke volume', 'SV'],
    EF: ['ejection fraction', 'EF'],
    CO: ['cardiac output', 'CO', 'output'],
    CI: ['cardiac index', 'CI'],
    MASS: ['mass', 'myocardial mass', 'muscle mass'],
    EDD: ['end-diastolic diameter', 'EDD', 'diastolic dimension', 'internal diameter (diastole)'],
    ESD: ['end-systolic diameter', 'ESD', 'systolic dimension'],
    V: ['volume', 'vol', 'max volume'],
    A: ['area'],
    L: ['length'],
  },
  index: ['index', 'indexed', '/BSA', 'i', '(indexed)'],
  fixed: {
    HEIGHT: ['Height', 'Ht', 'Patient height'],
    WEIGHT: ['Weight', 'Wt', 'Body weight'],
    BSA: ['Body surface area', 'BSA'],
    BHR: ['Heart rate', 'HR', 'Pulse'],
    BP: ['Blood pressure', 'BP'],
    LVAWT: [
      'Anteroseptal wall thickness',
      'Septal thickness',
      'IVS thickness',
      'IVSd',
      'Max septal thickness',
    ],
    LVIWT: [
      'Inferolateral wall thickness',
      'Posterior wall thickness',
      'LVPWd',
      'Inferolateral wall',
    ],
    PRET1M: [
      'Native T1 myocardium',
      'Native myocardial T1',
      'T1 native (myocardium)',
      'Pre-contrast T1 myocardium',
    ],
    PRET1B: ['Native T1 blood pool', 'Native blood T1', 'T1 native (blood)'],
    POSTT1M: ['Post-contrast T1 myocardium', 'Post-contrast myocardial T1', 'T1 post (myocardium)'],
    POSTT1B: ['Post-contrast T1 blood pool', 'Post-contrast blood T1', 'T1 post (blood)'],
    HCT: ['Haematocrit', 'Hematocrit', 'Hct'],
    ECV: ['Extracellular volume', 'ECV', 'Extracellular volume fraction'],
    '2CH': ['2-chamber', 'two-chamber', '2CH', '2ch view'],
    '4CH': ['4-chamber', 'four-chamber', '4CH', '4ch view'],
  },
  sections: {
    patient: ['Patient', 'Clinical data', 'Demographics'],
    lv: ['Left ventricle', 'LV', 'Left ventricular function'],
    rv: ['Right ventricle', 'RV', 'Right ventricular function'],
    atria: ['Atria', 'Atrial size'],
    tissue: ['Tissue characterisation', 'T1 mapping', 'Mapping'],
    findings: ['Findings', 'Comments'],
    impression: ['Impression', 'Conclusion', 'Summary'],
  },
  table: {
    parameter: ['Parameter', 'Measurement', 'Measure'],
    value: ['Value', 'Result', 'Current'],
    unit: ['Unit', 'Units'],
    normal: ['Normal', 'Reference', 'Ref. range'],
    prior: ['Prior', 'Previous', '2023'],
  },
  prior: ['on the previous CMR', 'at the prior study', 'previously'],
  echo: ['on echocardiography', 'by echo', 'on the recent echo'],
  aorta: ['Ascending aorta', 'Aortic root', 'Main pulmonary artery'],
}

function lexicon(
  quantityFirst: boolean,
  chamber: Lexicon['chamber'],
  q: Partial<Lexicon['quantity']>,
  index: string[],
  fixed: Partial<Lexicon['fixed']>,
  sections: Lexicon['sections'],
  table: Lexicon['table'],
  words: Pick<Lexicon, 'prior' | 'echo' | 'aorta'>,
): Lexicon {
  // local terms first; the English abbreviations stay available, as sites keep them
  const quantity: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(en.quantity))
    quantity[k] = [...(q[k] ?? []), ...v.filter((x) => /^[A-Z]+$/.test(x))]
  for (const [k, v] of Object.entries(quantity))
    if (v.length === 0) quantity[k] = en.quantity[k] as string[]
  const f: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(en.fixed))
    f[k] = [...(fixed[k] ?? []), ...v.filter((x) => /^[A-Z0-9]+$/.test(x))]
  for (const [k, v] of Object.entries(f)) if (v.length === 0) f[k] = en.fixed[k] as string[]
  return { quantityFirst, chamber, quantity, index, fixed: f, sections, table, ...words }
}

const lexicons: Record<Language, Lexicon> = {
  en,
  de: lexicon(
    false,
    {
      LV: ['LV', 'linksventrikuläres', 'Linker Ventrikel'],
      RV: ['RV', 'rechtsventrikuläres', 'Rechter Ventrikel'],
      LA: ['LA', 'Linker Vorhof', 'linksatriales'],
      RA: ['RA', 'Rechter Vorhof', 'rechtsatriales'],
    },
    {
      EDV: ['enddiastolisches Volumen', 'EDV'],
      ESV: ['endsystolisches Volumen', 'ESV'],
      SV: ['Schlagvolumen', 'SV'],
      EF: ['Ejektionsfraktion', 'EF', 'Auswurffraktion'],
      CO: ['Herzzeitvolumen', 'HZV'],
      CI: ['Herzindex', 'CI'],
      MASS: ['Masse', 'Myokardmasse'],
      EDD: ['enddiastolischer Durchmesser', 'EDD'],
      ESD: ['endsystolischer Durchmesser', 'ESD'],
      V: ['Volumen'],
      A: ['Fläche'],
      L: ['Länge'],
    },
    ['Index', 'indexiert', '/KOF'],
    {
      HEIGHT: ['Größe', 'Körpergröße'],
      WEIGHT: ['Gewicht', 'Körpergewicht'],
      BSA: ['KOF', 'Körperoberfläche'],
      BHR: ['Herzfrequenz', 'HF'],
      BP: ['Blutdruck', 'RR'],
      LVAWT: ['Septumdicke', 'Septum (enddiastolisch)'],
      LVIWT: ['Hinterwanddicke', 'inferolaterale Wanddicke'],
      PRET1M: ['natives T1 Myokard', 'T1 nativ Myokard'],
      PRET1B: ['natives T1 Blut', 'T1 nativ Blutpool'],
      POSTT1M: ['T1 post KM Myokard', 'T1 nach Kontrast Myokard'],
      POSTT1B: ['T1 post KM Blut', 'T1 nach Kontrast Blutpool'],
      HCT: ['Hämatokrit', 'Hkt'],
      ECV: ['EZV', 'Extrazellulärvolumen'],
      '2CH': ['2-Kammer-Blick', 'Zweikammerblick'],
      '4CH': ['4-Kammer-Blick', 'Vierkammerblick'],
    },
    {
      patient: ['Patient', 'Klinische Angaben'],
      lv: ['Linker Ventrikel', 'LV-Funktion'],
      rv: ['Rechter Ventrikel', 'RV-Funktion'],
      atria: ['Vorhöfe'],
      tissue: ['Gewebecharakterisierung', 'T1-Mapping'],
      findings: ['Befund'],
      impression: ['Beurteilung', 'Zusammenfassung'],
    },
    {
      parameter: ['Parameter', 'Messgröße'],
      value: ['Wert', 'Aktuell'],
      unit: ['Einheit'],
      normal: ['Normbereich', 'Referenz'],
      prior: ['Vorbefund', 'Voruntersuchung'],
    },
    {
      prior: ['in der Voruntersuchung', 'im Vorbefund'],
      echo: ['echokardiographisch', 'in der Echokardiographie'],
      aorta: ['Aorta ascendens', 'Aortenwurzel', 'Truncus pulmonalis'],
    },
  ),
  nl: lexicon(
    false,
    {
      LV: ['LV', 'linker ventrikel', 'Linkerventrikel'],
      RV: ['RV', 'rechter ventrikel', 'Rechterventrikel'],
      LA: ['LA', 'linker atrium'],
      RA: ['RA', 'rechter atrium'],
    },
    {
      EDV: ['einddiastolisch volume', 'EDV'],
      ESV: ['eindsystolisch volume', 'ESV'],
      SV: ['slagvolume', 'SV'],
      EF: ['ejectiefractie', 'EF'],
      CO: ['hartminuutvolume', 'HMV'],
      CI: ['hartindex', 'CI'],
      MASS: ['massa', 'spiermassa'],
      EDD: ['einddiastolische diameter', 'EDD'],
      ESD: ['eindsystolische diameter', 'ESD'],
      V: ['volume'],
      A: ['oppervlakte'],
      L: ['lengte'],
    },
    ['index', 'geïndexeerd', '/BSA'],
    {
      HEIGHT: ['Lengte', 'Lichaamslengte'],
      WEIGHT: ['Gewicht'],
      BSA: ['Lichaamsoppervlak', 'BSA'],
      BHR: ['Hartfrequentie', 'HF'],
      BP: ['Bloeddruk', 'RR'],
      LVAWT: ['Septumdikte', 'anteroseptale wanddikte'],
      LVIWT: ['Achterwanddikte', 'inferolaterale wanddikte'],
      PRET1M: ['Natief T1 myocard'],
      PRET1B: ['Natief T1 bloed'],
      POSTT1M: ['Post-contrast T1 myocard'],
      POSTT1B: ['Post-contrast T1 bloed'],
      HCT: ['Hematocriet', 'Ht'],
      ECV: ['ECV', 'extracellulair volume'],
      '2CH': ['2-kamer', 'tweekamer'],
      '4CH': ['4-kamer', 'vierkamer'],
    },
    {
      patient: ['Patiënt', 'Klinische gegevens'],
      lv: ['Linker ventrikel'],
      rv: ['Rechter ventrikel'],
      atria: ['Atria', 'Boezems'],
      tissue: ['Weefselkarakterisatie', 'T1 mapping'],
      findings: ['Bevindingen'],
      impression: ['Conclusie'],
    },
    {
      parameter: ['Parameter', 'Meting'],
      value: ['Waarde', 'Huidig'],
      unit: ['Eenheid'],
      normal: ['Normaalwaarde', 'Referentie'],
      prior: ['Vorig onderzoek', 'Eerder'],
    },
    {
      prior: ['bij het vorige onderzoek', 'eerder'],
      echo: ['echocardiografisch', 'bij echo'],
      aorta: ['Aorta ascendens', 'Aortawortel', 'Arteria pulmonalis'],
    },
  ),
  fr: lexicon(
    true,
    {
      LV: ['VG', 'ventricule gauche', 'ventriculaire gauche'],
      RV: ['VD', 'ventricule droit', 'ventriculaire droite'],
      LA: ['OG', 'oreillette gauche'],
      RA: ['OD', 'oreillette droite'],
    },
    {
      EDV: ['volume télédiastolique', 'VTD'],
      ESV: ['volume télésystolique', 'VTS'],
      SV: ["volume d'éjection systolique", 'VES'],
      EF: ["fraction d'éjection", 'FE'],
      CO: ['débit cardiaque', 'DC'],
      CI: ['index cardiaque', 'IC'],
      MASS: ['masse', 'masse myocardique'],
      EDD: ['diamètre télédiastolique', 'DTD'],
      ESD: ['diamètre télésystolique', 'DTS'],
      V: ['volume'],
      A: ['surface'],
      L: ['longueur'],
    },
    ['indexé', 'index', '/SC'],
    {
      HEIGHT: ['Taille'],
      WEIGHT: ['Poids'],
      BSA: ['Surface corporelle', 'SC'],
      BHR: ['Fréquence cardiaque', 'FC'],
      BP: ['Pression artérielle', 'TA'],
      LVAWT: ['Épaisseur septale', 'Épaisseur du septum'],
      LVIWT: ['Paroi inférolatérale', 'Épaisseur de la paroi postérieure'],
      PRET1M: ['T1 natif myocarde', 'T1 natif du myocarde'],
      PRET1B: ['T1 natif sang', 'T1 natif du pool sanguin'],
      POSTT1M: ['T1 post-contraste myocarde'],
      POSTT1B: ['T1 post-contraste sang'],
      HCT: ['Hématocrite', 'Ht'],
      ECV: ['VEC', 'volume extracellulaire'],
      '2CH': ['2 cavités', 'deux cavités'],
      '4CH': ['4 cavités', 'quatre cavités'],
    },
    {
      patient: ['Patient', 'Données cliniques'],
      lv: ['Ventricule gauche'],
      rv: ['Ventricule droit'],
      atria: ['Oreillettes'],
      tissue: ['Caractérisation tissulaire', 'Cartographie T1'],
      findings: ['Résultats', 'Description'],
      impression: ['Conclusion'],
    },
    {
      parameter: ['Paramètre', 'Mesure'],
      value: ['Valeur', 'Actuel'],
      unit: ['Unité'],
      normal: ['Normes', 'Valeurs normales'],
      prior: ['Antérieur', 'Examen précédent'],
    },
    {
      prior: ["à l'examen précédent", 'antérieurement'],
      echo: ["à l'échocardiographie", 'en écho'],
      aorta: ['Aorte ascendante', 'Racine aortique', 'Tronc pulmonaire'],
    },
  ),
  it: lexicon(
    true,
    {
      LV: ['VS', 'ventricolo sinistro', 'ventricolare sinistra'],
      RV: ['VD', 'ventricolo destro', 'ventricolare destra'],
      LA: ['AS', 'atrio sinistro'],
      RA: ['AD', 'atrio destro'],
    },
    {
      EDV: ['volume telediastolico', 'VTD'],
      ESV: ['volume telesistolico', 'VTS'],
      SV: ['gittata sistolica', 'GS'],
      EF: ['frazione di eiezione', 'FE'],
      CO: ['portata cardiaca', 'GC'],
      CI: ['indice cardiaco', 'IC'],
      MASS: ['massa', 'massa miocardica'],
      EDD: ['diametro telediastolico', 'DTD'],
      ESD: ['diametro telesistolico', 'DTS'],
      V: ['volume'],
      A: ['area'],
      L: ['lunghezza'],
    },
    ['indicizzato', 'indice', '/BSA'],
    {
      HEIGHT: ['Altezza', 'Statura'],
      WEIGHT: ['Peso'],
      BSA: ['Superficie corporea', 'BSA'],
      BHR: ['Frequenza cardiaca', 'FC'],
      BP: ['Pressione arteriosa', 'PA'],
      LVAWT: ['Spessore settale', 'Spessore del setto'],
      LVIWT: ['Parete inferolaterale', 'Spessore della parete posteriore'],
      PRET1M: ['T1 nativo miocardio'],
      PRET1B: ['T1 nativo sangue'],
      POSTT1M: ['T1 post-contrasto miocardio'],
      POSTT1B: ['T1 post-contrasto sangue'],
      HCT: ['Ematocrito', 'Htc'],
      ECV: ['ECV', 'volume extracellulare'],
      '2CH': ['2 camere', 'due camere'],
      '4CH': ['4 camere', 'quattro camere'],
    },
    {
      patient: ['Paziente', 'Dati clinici'],
      lv: ['Ventricolo sinistro'],
      rv: ['Ventricolo destro'],
      atria: ['Atri'],
      tissue: ['Caratterizzazione tissutale', 'Mappe T1'],
      findings: ['Reperti', 'Descrizione'],
      impression: ['Conclusioni'],
    },
    {
      parameter: ['Parametro', 'Misura'],
      value: ['Valore', 'Attuale'],
      unit: ['Unità'],
      normal: ['Valori normali', 'Riferimento'],
      prior: ['Precedente', 'Esame precedente'],
    },
    {
      prior: ["all'esame precedente", 'in precedenza'],
      echo: ["all'ecocardiogramma", 'ecograficamente'],
      aorta: ['Aorta ascendente', 'Radice aortica', 'Tronco polmonare'],
    },
  ),
  es: lexicon(
    true,
    {
      LV: ['VI', 'ventrículo izquierdo', 'ventricular izquierda'],
      RV: ['VD', 'ventrículo derecho', 'ventricular derecha'],
      LA: ['AI', 'aurícula izquierda'],
      RA: ['AD', 'aurícula derecha'],
    },
    {
      EDV: ['volumen telediastólico', 'VTD'],
      ESV: ['volumen telesistólico', 'VTS'],
      SV: ['volumen sistólico', 'VL'],
      EF: ['fracción de eyección', 'FE'],
      CO: ['gasto cardíaco', 'GC'],
      CI: ['índice cardíaco', 'IC'],
      MASS: ['masa', 'masa miocárdica'],
      EDD: ['diámetro telediastólico', 'DTD'],
      ESD: ['diámetro telesistólico', 'DTS'],
      V: ['volumen'],
      A: ['área'],
      L: ['longitud'],
    },
    ['indexado', 'índice', '/SC'],
    {
      HEIGHT: ['Talla', 'Altura'],
      WEIGHT: ['Peso'],
      BSA: ['Superficie corporal', 'SC'],
      BHR: ['Frecuencia cardíaca', 'FC'],
      BP: ['Presión arterial', 'TA'],
      LVAWT: ['Grosor septal', 'Espesor del septo'],
      LVIWT: ['Pared inferolateral', 'Grosor de la pared posterior'],
      PRET1M: ['T1 nativo miocardio'],
      PRET1B: ['T1 nativo sangre'],
      POSTT1M: ['T1 poscontraste miocardio'],
      POSTT1B: ['T1 poscontraste sangre'],
      HCT: ['Hematocrito', 'Hto'],
      ECV: ['VEC', 'volumen extracelular'],
      '2CH': ['2 cámaras', 'dos cámaras'],
      '4CH': ['4 cámaras', 'cuatro cámaras'],
    },
    {
      patient: ['Paciente', 'Datos clínicos'],
      lv: ['Ventrículo izquierdo'],
      rv: ['Ventrículo derecho'],
      atria: ['Aurículas'],
      tissue: ['Caracterización tisular', 'Mapas T1'],
      findings: ['Hallazgos'],
      impression: ['Conclusión', 'Impresión'],
    },
    {
      parameter: ['Parámetro', 'Medida'],
      value: ['Valor', 'Actual'],
      unit: ['Unidad'],
      normal: ['Normal', 'Referencia'],
      prior: ['Previo', 'Estudio previo'],
    },
    {
      prior: ['en el estudio previo', 'previamente'],
      echo: ['por ecocardiografía', 'en el eco'],
      aorta: ['Aorta ascendente', 'Raíz aórtica', 'Tronco pulmonar'],
    },
  ),
  pt: lexicon(
    true,
    {
      LV: ['VE', 'ventrículo esquerdo', 'ventricular esquerda'],
      RV: ['VD', 'ventrículo direito', 'ventricular direita'],
      LA: ['AE', 'átrio esquerdo'],
      RA: ['AD', 'átrio direito'],
    },
    {
      EDV: ['volume diastólico final', 'VDF'],
      ESV: ['volume sistólico final', 'VSF'],
      SV: ['volume sistólico', 'VS'],
      EF: ['fração de ejeção', 'FE'],
      CO: ['débito cardíaco', 'DC'],
      CI: ['índice cardíaco', 'IC'],
      MASS: ['massa', 'massa miocárdica'],
      EDD: ['diâmetro diastólico final', 'DDF'],
      ESD: ['diâmetro sistólico final', 'DSF'],
      V: ['volume'],
      A: ['área'],
      L: ['comprimento'],
    },
    ['indexado', 'índice', '/SC'],
    {
      HEIGHT: ['Altura', 'Estatura'],
      WEIGHT: ['Peso'],
      BSA: ['Superfície corporal', 'SC'],
      BHR: ['Frequência cardíaca', 'FC'],
      BP: ['Pressão arterial', 'PA'],
      LVAWT: ['Espessura septal', 'Espessura do septo'],
      LVIWT: ['Parede inferolateral', 'Espessura da parede posterior'],
      PRET1M: ['T1 nativo miocárdio'],
      PRET1B: ['T1 nativo sangue'],
      POSTT1M: ['T1 pós-contraste miocárdio'],
      POSTT1B: ['T1 pós-contraste sangue'],
      HCT: ['Hematócrito', 'Ht'],
      ECV: ['VEC', 'volume extracelular'],
      '2CH': ['2 câmaras', 'duas câmaras'],
      '4CH': ['4 câmaras', 'quatro câmaras'],
    },
    {
      patient: ['Paciente', 'Dados clínicos'],
      lv: ['Ventrículo esquerdo'],
      rv: ['Ventrículo direito'],
      atria: ['Átrios'],
      tissue: ['Caracterização tecidual', 'Mapas T1'],
      findings: ['Achados'],
      impression: ['Conclusão', 'Impressão'],
    },
    {
      parameter: ['Parâmetro', 'Medida'],
      value: ['Valor', 'Atual'],
      unit: ['Unidade'],
      normal: ['Normal', 'Referência'],
      prior: ['Anterior', 'Exame anterior'],
    },
    {
      prior: ['no exame anterior', 'previamente'],
      echo: ['no ecocardiograma', 'por eco'],
      aorta: ['Aorta ascendente', 'Raiz da aorta', 'Tronco pulmonar'],
    },
  ),
}

export function lexiconOf(lang: Language): Lexicon {
  return lexicons[lang]
}

const abbreviation = (k: string) => k.replace('COI', 'CI')

/** A field's label in a language: local words, or the English abbreviation (LVEDV) many sites keep. */
export function fieldLabel(
  r: R,
  lang: Language,
  k: string,
  opts: { noChamber?: boolean } = {},
): string {
  const L = lexicons[lang]
  if (
    !opts.noChamber &&
    r() < 0.25 &&
    /^(LV|RV)(EDV|ESV|SV|EF|MASS|EDD|ESD)I?$|^(LV|RV)COI?$|^(LA|RA)VI?$/.test(k)
  )
    return abbreviation(k)
  const m = /^(LV|RV)(EDV|ESV|SV|EF|CO|MASS|EDD|ESD)(I?)$/.exec(k)
  const a = /^(LA|RA)(V|A|L)(2CH|4CH)?(I?)$/.exec(k)
  if (m || a) {
    const [side, q0, rest] = m
      ? [m[1] as 'LV', m[2] as string, m[3] as string]
      : [
          (a as RegExpExecArray)[1] as 'LA',
          (a as RegExpExecArray)[2] as string,
          (a as RegExpExecArray)[4] as string,
        ]
    const idx = rest === 'I'
    const q = q0 === 'CO' && idx ? 'CI' : q0
    const ch = P(r, L.chamber[side])
    let qw = P(r, L.quantity[q] as string[])
    if (a?.[3]) qw = `${qw} ${P(r, L.fixed[a[3]] as string[])}`
    // in a paragraph about one chamber, its values are named by quantity alone
    let base = opts.noChamber ? qw : L.quantityFirst ? `${qw} ${ch}` : `${ch} ${qw}`
    if (r() < 0.1) base = base.toUpperCase()
    if (!idx || q === 'CI') return base
    const iw = P(r, L.index)
    return iw.startsWith('/') ? `${base}${iw}` : iw === 'i' ? `${base}i` : `${base} ${iw}`
  }
  const fixed = L.fixed[k]
  return fixed ? P(r, fixed) : k
}
