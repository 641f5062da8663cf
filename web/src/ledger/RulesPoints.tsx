// Points for underlying disease and vaccination, and how unrecorded values count.
import { Col, Form, InputNumber, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DISEASE_STATES, VACCINATION_STATES } from './rulesApi.ts';

const points = (label: string) => (
  <InputNumber<number> aria-label={label} min={0} max={10} precision={0} style={{ width: '100%' }} />
);

export function RulesPoints() {
  const { t } = useTranslation();
  return (
    <Row gutter={[24, 8]}>
      <Col xs={24} md={12}>
        <Typography.Title level={5}>{t('rules.disease')}</Typography.Title>
        <Row gutter={12}>
          {DISEASE_STATES.map((s) => (
            <Col key={s} span={8}>
              <Form.Item
                name={['disease', s]}
                label={t(`disease.${s}`)}
                rules={[{ required: true, message: t('rules.points') }]}
              >
                {points(t(`disease.${s}`))}
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Col>
      <Col xs={24} md={12}>
        <Typography.Title level={5}>{t('rules.vaccination')}</Typography.Title>
        <Row gutter={12}>
          {VACCINATION_STATES.map((s) => (
            <Col key={s} span={8}>
              <Form.Item
                name={['vaccination', s]}
                label={t(`vaccination.${s}`)}
                rules={[{ required: true, message: t('rules.points') }]}
              >
                {points(t(`vaccination.${s}`))}
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Col>
      <Col xs={24}>
        <Typography.Title level={5}>{t('rules.unknown')}</Typography.Title>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name={['unknown', 'agePoints']} label={t('rules.unknownAge')}>
              {points(t('rules.unknownAge'))}
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name={['unknown', 'disease']} label={t('rules.unknownDisease')}>
              <Select<string> options={DISEASE_STATES.map((s) => ({ value: s, label: t(`disease.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name={['unknown', 'vaccination']} label={t('rules.unknownVaccination')}>
              <Select<string>
                options={VACCINATION_STATES.map((s) => ({ value: s, label: t(`vaccination.${s}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Col>
    </Row>
  );
}
