/**
 * The glossary: one English term, and the word each Korean edition the lessons follow uses for it
 * (lessons 01–08 show the terms they use with `showGlossary`). Both editions of every lesson draw on
 * this one file, and test/language/glossary.test.ts checks the Korean prose against it.
 *
 * The two books, as our students read them:
 * - "chollet": 케라스 창시자에게 배우는 딥러닝 2판 (프랑소와 숄레 지음, 박해선 옮김, 길벗, 2022). Lessons 01–04
 *   and 08 follow it; its chapter 2 has the same section numbers (§2.1–§2.5) as the 1st edition, whose
 *   Korean text (박해선 옮김, 2018) wrote 그래디언트 where the 2nd edition writes 그레이디언트.
 * - "saito": 밑바닥부터 시작하는 딥러닝 (사이토 고키 지음, 개앞맵시 옮김, 한빛미디어, 2017). Lessons 05–07
 *   follow it (§4.3–§6.5).
 *
 * `avoid` lists words a Korean lesson following that book must not use for the term (another
 * edition's spelling, a word no edition uses); the test looks for them in the prose.
 */

export type Book = "chollet" | "saito";

export interface Term {
  /** The English term, as the English edition writes it (lower case unless a name). */
  en: string;
  /** The word of each book's Korean edition. */
  ko: Record<Book, string>;
  /** Words a lesson following that book must not use for this term. */
  avoid?: Partial<Record<Book, string[]>>;
  /** Other English spellings the English edition may use (Chollet's "computation graph" is Saito's "computational graph"). */
  aliases?: string[];
}

const both = (word: string): Record<Book, string> => ({ chollet: word, saito: word });

export const GLOSSARY: readonly Term[] = [
  // data and tensors (Chollet §2.1–§2.2)
  { en: "tensor", ko: both("텐서") },
  { en: "scalar", ko: both("스칼라") },
  { en: "vector", ko: both("벡터") },
  { en: "matrix", ko: both("행렬") },
  { en: "rank", ko: both("랭크") },
  { en: "axis", ko: both("축") },
  { en: "shape", ko: { chollet: "크기", saito: "형상" } },
  { en: "data type", ko: both("데이터 타입") },
  { en: "sample", ko: both("샘플") },
  { en: "label", ko: { chollet: "라벨", saito: "레이블" } },
  { en: "target", ko: both("타깃"), avoid: { chollet: ["타겟"], saito: ["타겟"] } },
  { en: "class", ko: both("클래스") },
  { en: "batch", ko: both("배치") },
  { en: "mini-batch", ko: { chollet: "미니 배치", saito: "미니배치" } },
  { en: "training data", ko: both("훈련 데이터") },
  { en: "test data", ko: { chollet: "테스트 데이터", saito: "시험 데이터" } },
  { en: "validation data", ko: both("검증 데이터") },
  { en: "dataset", ko: both("데이터셋") },
  { en: "feature", ko: { chollet: "특성", saito: "특징" } },
  { en: "sample axis", ko: both("샘플 축") },
  { en: "batch axis", ko: both("배치 축") },
  { en: "dimension", ko: both("차원") },
  { en: "timestep", ko: both("타임스텝") },
  { en: "channel", ko: both("채널") },
  { en: "slicing", ko: both("슬라이싱") },
  { en: "transposition", ko: both("전치") },
  { en: "step", ko: both("스텝") },
  { en: "metric", ko: both("지표") },
  { en: "epoch", ko: { chollet: "에포크", saito: "에폭" }, avoid: { chollet: ["에폭"], saito: ["에포크"] } },
  // tensor operations (Chollet §2.3)
  { en: "tensor operation", ko: both("텐서 연산") },
  { en: "element-wise operation", ko: both("원소별 연산") },
  { en: "broadcasting", ko: both("브로드캐스팅") },
  { en: "tensor product", ko: both("텐서 곱셈") },
  { en: "dot product", ko: both("점곱"), avoid: { chollet: ["내적"] } },
  { en: "reshaping", ko: both("크기 변환") },
  { en: "matrix product", ko: both("행렬 곱셈") },
  { en: "linear transformation", ko: both("선형 변환") },
  { en: "affine transformation", ko: both("아핀 변환") },
  // networks and layers
  { en: "layer", ko: { chollet: "층", saito: "계층" }, avoid: { chollet: ["레이어"], saito: ["레이어"] } },
  { en: "Dense layer", ko: both("Dense 층"), avoid: { chollet: ["밀집 층", "밀집층"], saito: ["밀집 층", "밀집층"] } },
  { en: "weight", ko: both("가중치") },
  { en: "bias", ko: both("편향") },
  { en: "parameter", ko: { chollet: "파라미터", saito: "매개변수" } },
  { en: "hyperparameter", ko: both("하이퍼파라미터") },
  { en: "activation function", ko: both("활성화 함수") },
  { en: "sigmoid", ko: both("시그모이드") },
  { en: "ReLU", ko: both("ReLU"), avoid: { saito: ["렐루"] } },
  { en: "softmax", ko: both("소프트맥스") },
  { en: "hidden layer", ko: both("은닉층") },
  { en: "neuron", ko: both("뉴런") },
  { en: "prediction", ko: both("예측") },
  { en: "accuracy", ko: both("정확도") },
  // training (Chollet §2.4–§2.5, Saito ch. 4)
  { en: "loss function", ko: both("손실 함수") },
  { en: "cross-entropy", ko: { chollet: "크로스엔트로피", saito: "교차 엔트로피 오차" }, aliases: ["crossentropy"] },
  { en: "optimizer", ko: both("옵티마이저") },
  { en: "learning rate", ko: both("학습률") },
  { en: "gradient", ko: { chollet: "그레이디언트", saito: "기울기" }, avoid: { chollet: ["그래디언트", "그라디언트"], saito: ["그래디언트", "그레이디언트", "그라디언트"] } },
  { en: "derivative", ko: { chollet: "도함수", saito: "미분" } },
  { en: "partial derivative", ko: both("편미분") },
  { en: "numerical differentiation", ko: both("수치 미분") },
  { en: "central difference", ko: both("중심 차분") },
  { en: "rounding error", ko: both("반올림 오차") },
  { en: "gradient descent", ko: both("경사 하강법") },
  { en: "stochastic gradient descent", ko: both("확률적 경사 하강법"), aliases: ["SGD"] },
  { en: "momentum", ko: both("모멘텀") },
  { en: "global minimum", ko: both("전역 최솟값") },
  { en: "differentiable", ko: both("미분 가능") },
  { en: "local minimum", ko: { chollet: "지역 최솟값", saito: "국소적 최솟값" } },
  { en: "parameter update", ko: { chollet: "가중치 업데이트", saito: "매개변수 갱신" } },
  { en: "training loop", ko: both("훈련 루프") },
  { en: "batch size", ko: both("배치 크기") },
  { en: "functional API", ko: both("함수형 API") },
  // backpropagation (Chollet §2.4.4, Saito ch. 5)
  { en: "forward pass", ko: { chollet: "정방향 패스", saito: "순전파" } },
  { en: "backward pass", ko: { chollet: "역방향 패스", saito: "역전파" } },
  { en: "backpropagation", ko: { chollet: "역전파", saito: "오차역전파법" } },
  { en: "chain rule", ko: { chollet: "연쇄 법칙", saito: "연쇄법칙" } },
  { en: "computational graph", ko: both("계산 그래프"), aliases: ["computation graph"] },
  { en: "node", ko: both("노드") },
  { en: "edge", ko: both("에지"), avoid: { chollet: ["엣지"], saito: ["엣지"] } },
  { en: "upstream", ko: both("상류") },
  { en: "downstream", ko: both("하류") },
  { en: "automatic differentiation", ko: both("자동 미분") },
  { en: "gradient tape", ko: both("그레이디언트 테이프") },
  { en: "gradient check", ko: both("기울기 확인") },
  // Saito ch. 6
  { en: "vanishing gradient", ko: both("기울기 소실") },
  { en: "initial weights", ko: both("가중치의 초깃값") },
  { en: "standard deviation", ko: both("표준편차") },
  { en: "activation distribution", ko: both("활성화값 분포") },
  { en: "Xavier initialization", ko: both("Xavier 초깃값") },
  { en: "He initialization", ko: both("He 초깃값") },
  { en: "overfitting", ko: { chollet: "과대적합", saito: "오버피팅" } },
  { en: "regularization", ko: { chollet: "규제", saito: "정규화" } },
  { en: "generalization", ko: both("일반화") },
  { en: "weight decay", ko: both("가중치 감소") },
  { en: "dropout", ko: both("드롭아웃") },
  { en: "batch normalization", ko: both("배치 정규화") },
];

/** The glossary entry for an English term, or undefined. */
export function findTerm(en: string): Term | undefined {
  return GLOSSARY.find((t) => t.en === en);
}
